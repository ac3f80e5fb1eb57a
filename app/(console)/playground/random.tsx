"use client";

import { useState } from "react";
import { fromB64, toHex } from "@/components/playground/codec";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { kms, useSteps } from "./call";
import { Failure, Travel, Values } from "./parts";

/** GenerateRandom: no key involved; authorized by your role alone. */
export function Random() {
  const [count, setCount] = useState("32");
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const steps = useSteps();
  const n = Number(count);
  const countError = Number.isInteger(n) && n >= 1 && n <= 1024 ? "" : "1 to 1024 bytes.";

  const generate = () =>
    steps.run("random", async () => {
      setBytes(null);
      setBytes(fromB64((await kms<{ Plaintext: string }>("GenerateRandom", { NumberOfBytes: n })).Plaintext));
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser="the random bytes"
        calls={["→ GenerateRandom(NumberOfBytes)", "← random bytes"]}
        note="no KMS key is used: your role's kms:GenerateRandom decides"
        keyhold="a cryptographically secure random generator"
      />
      <div className="w-48">
        <Field label="Number of bytes" error={countError}>
          {(p) => <Input {...p} type="number" min={1} max={1024} value={count} onChange={(e) => setCount(e.target.value)} />}
        </Field>
      </div>
      <div>
        <Button onClick={generate} busy={steps.busy === "random"} disabled={!!countError || !!steps.busy}>
          Generate random bytes
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {bytes && <Values rows={[[`${bytes.length} bytes (hex)`, toHex(bytes), "random-bytes"]]} />}
    </div>
  );
}
