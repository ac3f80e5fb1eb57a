"use client";

import { useState } from "react";
import { short, toB64, utf8 } from "@/components/playground/codec";
import { browserDigest, messageChoices, type KeyFacts } from "@/components/playground/operations";
import { Button } from "@/components/ui/button";
import { Field, Select, Textarea } from "@/components/ui/field";
import { kms, refusalOf, useSteps } from "./call";
import { Failure, Travel, Values, Verdict } from "./parts";

/** The Message member: the text itself (RAW), or its digest computed here (DIGEST). */
async function messageBytes(text: string, algorithm: string, type: string): Promise<Uint8Array> {
  const hash = browserDigest(algorithm, type as "DIGEST");
  const raw = utf8(text);
  return hash ? new Uint8Array(await crypto.subtle.digest(hash, raw as BufferSource)) : raw;
}

/** Sign and Verify a message or its digest; a changed message fails verification. */
export function SignVerify({ k }: { k: KeyFacts }) {
  const algorithms = k.SigningAlgorithms ?? [];
  const [algorithm, setAlgorithm] = useState(algorithms[0] ?? "");
  // EXTERNAL_MU (ML-DSA's μ) is not something a browser computes: RAW and DIGEST only.
  const types = messageChoices(algorithm).filter((c) => c.type === "RAW" || browserDigest(algorithm, c.type));
  const [messageType, setMessageType] = useState("RAW");
  const type = types.some((t) => t.type === messageType) ? messageType : (types[0]?.type ?? "RAW");
  const [text, setText] = useState("I approve payment #1042");
  const [signature, setSignature] = useState("");
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  const steps = useSteps();
  const digest = browserDigest(algorithm, type as "DIGEST");

  const request = async (message: string) => ({ KeyId: k.KeyId, SigningAlgorithm: algorithm, MessageType: type, Message: toB64(await messageBytes(message, algorithm, type)) });
  const sign = () =>
    steps.run("sign", async () => {
      setSignature("");
      setVerdict(null);
      setSignature((await kms<{ Signature: string }>("Sign", await request(text))).Signature);
    });
  const verify = (tampered: boolean) =>
    steps.run(tampered ? "tampered" : "verify", async () => {
      setVerdict(null);
      const input = { ...(await request(tampered ? `${text}0` : text)), Signature: signature };
      if (tampered) return setVerdict({ ok: false, text: `A changed message fails: ${await refusalOf(() => kms("Verify", input))}` });
      const r = await kms<{ SignatureValid: boolean }>("Verify", input);
      setVerdict({ ok: r.SignatureValid, text: r.SignatureValid ? "The signature is valid for this message." : "The signature is not valid." });
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser={digest ? `the message; it sends only its ${digest} digest` : "the message (sent as it is, up to 4 KiB)"}
        calls={["→ Sign(KeyId, message or digest, algorithm)", "← signature", "→ Verify(…, signature)", "← valid, or KMSInvalidSignatureException"]}
        note="anyone with the public key (GetPublicKey) can verify offline too"
        keyhold="the private key; it never leaves"
      />
      <div className="flex flex-wrap gap-4">
        <Field label="Signing algorithm">
          {(p) => (
            <Select {...p} value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
              {algorithms.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Message type" hint={digest ? `Your browser hashes the message (${digest}) and sends the digest.` : "The message itself is sent."}>
          {(p) => (
            <Select {...p} value={type} onChange={(e) => setMessageType(e.target.value)}>
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.type === "RAW" ? "RAW (message)" : `DIGEST (${t.digestBytes}-byte digest)`}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Field label="Message">{(p) => <Textarea {...p} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}</Field>
      <div className="flex flex-wrap gap-2">
        <Button onClick={sign} busy={steps.busy === "sign"} disabled={!text || !algorithm || !!steps.busy}>
          Sign
        </Button>
        <Button variant="secondary" onClick={() => verify(false)} busy={steps.busy === "verify"} disabled={!signature || !!steps.busy}>
          Verify
        </Button>
        <Button variant="secondary" onClick={() => verify(true)} busy={steps.busy === "tampered"} disabled={!signature || !!steps.busy}>
          Verify a changed message
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {signature && <Values rows={[["Signature (base64)", short(signature, 200), "signature"]]} />}
      {verdict && (
        <Verdict ok={verdict.ok} testId="verify-result">
          {verdict.text}
        </Verdict>
      )}
    </div>
  );
}
