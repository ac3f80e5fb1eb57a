"use client";

import { useState } from "react";
import { toB64, toHex, fromB64, utf8 } from "@/components/playground/codec";
import type { KeyFacts } from "@/components/playground/operations";
import { Button } from "@/components/ui/button";
import { Field, Select, Textarea } from "@/components/ui/field";
import { kms, refusalOf, useSteps } from "./call";
import { Failure, Travel, Values, Verdict } from "./parts";

/** GenerateMac and VerifyMac with an HMAC key; a changed message fails. */
export function Mac({ k }: { k: KeyFacts }) {
  const algorithms = k.MacAlgorithms ?? [];
  const [algorithm, setAlgorithm] = useState(algorithms[0] ?? "");
  const [text, setText] = useState("session=42; user=alice");
  const [mac, setMac] = useState("");
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  const steps = useSteps();
  const request = (message: string) => ({ KeyId: k.KeyId, MacAlgorithm: algorithm, Message: toB64(utf8(message)) });

  const generate = () =>
    steps.run("generate", async () => {
      setMac("");
      setVerdict(null);
      setMac((await kms<{ Mac: string }>("GenerateMac", request(text))).Mac);
    });
  const verify = (tampered: boolean) =>
    steps.run(tampered ? "tampered" : "verify", async () => {
      setVerdict(null);
      const input = { ...request(tampered ? `${text}0` : text), Mac: mac };
      if (tampered) return setVerdict({ ok: false, text: `A changed message fails: ${await refusalOf(() => kms("VerifyMac", input))}` });
      const r = await kms<{ MacValid: boolean }>("VerifyMac", input);
      setVerdict({ ok: r.MacValid, text: r.MacValid ? "The MAC is valid for this message." : "The MAC is not valid." });
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser="the message (up to 4 KiB) and its MAC"
        calls={["→ GenerateMac(KeyId, message, algorithm)", "← MAC", "→ VerifyMac(KeyId, message, algorithm, MAC)", "← valid, or KMSInvalidMacException"]}
        note="only Keyhold can make or check a MAC: there is no public half"
        keyhold="the HMAC key; it never leaves"
      />
      <Field label="MAC algorithm">
        {(p) => (
          <Select {...p} value={algorithm} onChange={(e) => setAlgorithm(e.target.value)} className="max-w-xs">
            {algorithms.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Message">{(p) => <Textarea {...p} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}</Field>
      <div className="flex flex-wrap gap-2">
        <Button onClick={generate} busy={steps.busy === "generate"} disabled={!text || !algorithm || !!steps.busy}>
          Generate MAC
        </Button>
        <Button variant="secondary" onClick={() => verify(false)} busy={steps.busy === "verify"} disabled={!mac || !!steps.busy}>
          Verify MAC
        </Button>
        <Button variant="secondary" onClick={() => verify(true)} busy={steps.busy === "tampered"} disabled={!mac || !!steps.busy}>
          Verify a changed message
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {mac && <Values rows={[["MAC (hex)", toHex(fromB64(mac)), "mac"]]} />}
      {verdict && (
        <Verdict ok={verdict.ok} testId="mac-result">
          {verdict.text}
        </Verdict>
      )}
    </div>
  );
}
