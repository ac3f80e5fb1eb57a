"use client";

import { useState } from "react";
import { contextMember, parseContext, short } from "@/components/playground/codec";
import type { KeyFacts } from "@/components/playground/operations";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { DATA_KEY_PAIR_SPECS } from "@/lib/crypto/specs";
import { kms, useSteps } from "./call";
import { Failure, Travel, Values, Verdict } from "./parts";

interface Pair {
  PublicKey: string;
  PrivateKeyPlaintext: string;
  PrivateKeyCiphertextBlob: string;
  KeyPairSpec: string;
}

/** GenerateDataKeyPair under a symmetric key; Decrypt of the wrapped private key gives the same private key back. */
export function DataKeyPair({ k }: { k: KeyFacts }) {
  const [spec, setSpec] = useState<string>("ECC_NIST_P256");
  const [contextText, setContextText] = useState("purpose=playground");
  const [pair, setPair] = useState<Pair | null>(null);
  const [unwrapped, setUnwrapped] = useState<boolean | null>(null);
  const steps = useSteps();
  const { context, error: contextError } = parseContext(contextText);

  const generate = () =>
    steps.run("generate", async () => {
      setPair(null);
      setUnwrapped(null);
      setPair(await kms<Pair & Record<string, string>>("GenerateDataKeyPair", { KeyId: k.KeyId, KeyPairSpec: spec, ...contextMember(context) }));
    });
  const unwrap = () =>
    steps.run("unwrap", async () => {
      if (!pair) return;
      const r = await kms<{ Plaintext: string }>("Decrypt", { CiphertextBlob: pair.PrivateKeyCiphertextBlob, ...contextMember(context) });
      setUnwrapped(r.Plaintext === pair.PrivateKeyPlaintext);
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser="the public key, the private key (to use now), its wrapped copy (to store)"
        calls={["→ GenerateDataKeyPair(KeyId, KeyPairSpec, context)", "← public key + private key + wrapped private key", "→ Decrypt(wrapped private key, context)", "← private key"]}
        note="store the public key and the wrapped private key; drop the private key after use"
        keyhold="the symmetric KMS key that wraps the private key; the pair itself is not kept"
      />
      <Field label="Key pair spec">
        {(p) => (
          <Select {...p} value={spec} onChange={(e) => setSpec(e.target.value)} className="max-w-xs">
            {DATA_KEY_PAIR_SPECS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Encryption context" hint="key=value pairs separated by commas; bound to the wrapped private key." error={contextError}>
        {(p) => <Input {...p} value={contextText} onChange={(e) => setContextText(e.target.value)} className="max-w-lg font-mono" />}
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button onClick={generate} busy={steps.busy === "generate"} disabled={!!contextError || !!steps.busy}>
          Generate key pair
        </Button>
        <Button variant="secondary" onClick={unwrap} busy={steps.busy === "unwrap"} disabled={!pair || !!steps.busy}>
          Decrypt the wrapped private key
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {pair && (
        <Values
          rows={[
            ["Key pair spec", pair.KeyPairSpec, "pair-spec"],
            ["Public key (DER, base64)", short(pair.PublicKey, 160), "pair-public"],
            ["Private key (plaintext)", short(pair.PrivateKeyPlaintext, 48)],
            ["Wrapped private key", short(pair.PrivateKeyCiphertextBlob, 160), "pair-wrapped"],
          ]}
        />
      )}
      {unwrapped !== null && (
        <Verdict ok={unwrapped} testId="pair-unwrapped">
          {unwrapped ? "Decrypt returned the same private key: store only the wrapped copy." : "Decrypt returned a different private key."}
        </Verdict>
      )}
    </div>
  );
}
