"use client";

import { useState } from "react";
import { fromB64, short, toB64, toHex } from "@/components/playground/codec";
import { ecdhCurve, type KeyFacts } from "@/components/playground/operations";
import { Button } from "@/components/ui/button";
import { kms, useSteps } from "./call";
import { Failure, Travel, Values, Verdict } from "./parts";

const BITS = { "P-256": 256, "P-384": 384, "P-521": 528 } as const;

/**
 * ECDH both ways: Keyhold derives the secret from its private key and the
 * browser's public key; the browser derives it from its own private key and
 * the KMS key's public key (GetPublicKey). The two must match.
 */
export function Derive({ k }: { k: KeyFacts }) {
  const curve = ecdhCurve(k.KeySpec);
  const [result, setResult] = useState<{ peer: string; kmsSecret: string; browserSecret: string } | null>(null);
  const steps = useSteps();

  const derive = () =>
    steps.run("derive", async () => {
      if (!curve) return;
      setResult(null);
      const mine = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: curve }, false, ["deriveBits"])) as CryptoKeyPair;
      const peer = toB64(new Uint8Array(await crypto.subtle.exportKey("spki", mine.publicKey)));
      const r = await kms<{ SharedSecret: string }>("DeriveSharedSecret", { KeyId: k.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: peer });
      const pub = await kms<{ PublicKey: string }>("GetPublicKey", { KeyId: k.KeyId });
      const theirs = await crypto.subtle.importKey("spki", fromB64(pub.PublicKey) as BufferSource, { name: "ECDH", namedCurve: curve }, false, []);
      const bits = await crypto.subtle.deriveBits({ name: "ECDH", public: theirs }, mine.privateKey, BITS[curve]);
      setResult({ peer, kmsSecret: toHex(fromB64(r.SharedSecret)), browserSecret: toHex(new Uint8Array(bits)) });
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser={`a fresh ${curve ?? "ECDH"} key pair; its private key stays here`}
        calls={["→ DeriveSharedSecret(KeyId, ECDH, your public key)", "← shared secret", "→ GetPublicKey(KeyId)", "← the KMS key's public key"]}
        note="each side combines its private key with the other's public key"
        keyhold="the KMS key's private key; it never leaves"
      />
      <div>
        <Button onClick={derive} busy={steps.busy === "derive"} disabled={!curve || !!steps.busy}>
          Derive a shared secret
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {result && (
        <>
          <Values
            rows={[
              ["Your public key (DER, base64)", short(result.peer, 120)],
              ["Keyhold's shared secret", result.kmsSecret, "kms-secret"],
              ["Your browser's shared secret", result.browserSecret, "browser-secret"],
            ]}
          />
          <Verdict ok={result.kmsSecret === result.browserSecret} testId="derive-result">
            {result.kmsSecret === result.browserSecret ? "Both sides derived the same secret." : "The two secrets differ."}
          </Verdict>
        </>
      )}
    </div>
  );
}
