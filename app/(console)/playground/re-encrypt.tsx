"use client";

import { useState } from "react";
import { KeyPicker } from "@/components/keys/key-picker";
import { fromB64, short, toB64, utf8 } from "@/components/playground/codec";
import { encryptionAlgorithms, type KeyFacts } from "@/components/playground/operations";
import { Button } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import type { KeyRow } from "@/lib/console/keys/types";
import { kms, useSteps } from "./call";
import { Failure, Travel, Values, Verdict } from "./parts";

/** RSA keys need an algorithm named on both sides; symmetric keys take the default. */
const algorithmFor = (keySpec: string, listed?: readonly string[]) =>
  keySpec === "SYMMETRIC_DEFAULT" ? undefined : (listed?.find((a) => a === "RSAES_OAEP_SHA_256") ?? "RSAES_OAEP_SHA_256");

/** ReEncrypt's destinations: enabled encryption keys the caller may use. */
const DESTINATIONS = { status: "Enabled", usable: "1", usage: "ENCRYPT_DECRYPT" };

/** Encrypt under this key, ReEncrypt to another key (plaintext stays inside Keyhold), Decrypt under that one. */
export function ReEncrypt({ k, encryptionKeys }: { k: KeyFacts; encryptionKeys: KeyRow[] }) {
  const [destKey, setDestKey] = useState<KeyRow | undefined>(encryptionKeys.find((x) => x.id !== k.KeyId) ?? encryptionKeys.find((x) => x.id === k.KeyId));
  const destination = destKey?.id ?? k.KeyId;
  const [text, setText] = useState("Data that moves to another key");
  const [original, setOriginal] = useState("");
  const [moved, setMoved] = useState<{ blob: string; keyId: string; algorithm?: string } | null>(null);
  const [roundTrip, setRoundTrip] = useState<string | null>(null);
  const steps = useSteps();
  const sourceAlgorithm = algorithmFor(k.KeySpec, encryptionAlgorithms(k));

  const run = () =>
    steps.run("reencrypt", async () => {
      setOriginal("");
      setMoved(null);
      setRoundTrip(null);
      const src = sourceAlgorithm ? { EncryptionAlgorithm: sourceAlgorithm } : {};
      const enc = await kms<{ CiphertextBlob: string }>("Encrypt", { KeyId: k.KeyId, Plaintext: toB64(utf8(text)), ...src });
      setOriginal(enc.CiphertextBlob);
      const destAlgorithm = algorithmFor(destKey?.keySpec ?? "SYMMETRIC_DEFAULT");
      const r = await kms<{ CiphertextBlob: string; KeyId: string }>("ReEncrypt", {
        CiphertextBlob: enc.CiphertextBlob,
        DestinationKeyId: destination,
        ...(sourceAlgorithm ? { SourceKeyId: k.KeyId, SourceEncryptionAlgorithm: sourceAlgorithm } : {}),
        ...(destAlgorithm ? { DestinationEncryptionAlgorithm: destAlgorithm } : {}),
      });
      setMoved({ blob: r.CiphertextBlob, keyId: r.KeyId, algorithm: destAlgorithm });
      const dec = await kms<{ Plaintext: string }>("Decrypt", {
        CiphertextBlob: r.CiphertextBlob,
        ...(destAlgorithm ? { KeyId: destination, EncryptionAlgorithm: destAlgorithm } : {}),
      });
      setRoundTrip(new TextDecoder().decode(fromB64(dec.Plaintext)));
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser="the ciphertext under the first key, then under the second"
        calls={["→ Encrypt(KeyId, plaintext)", "← ciphertext", "→ ReEncrypt(ciphertext, DestinationKeyId)", "← ciphertext under the destination", "→ Decrypt (to prove it)"]}
        note="ReEncrypt decrypts and encrypts inside Keyhold: the plaintext is never returned"
        keyhold="both keys; ReEncrypt needs kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination"
      />
      <Field label="Plaintext">{(p) => <Textarea {...p} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}</Field>
      <Field label="Destination key" hint="Enabled encryption keys you may use (this key too).">
        {(p) => <KeyPicker {...p} value={destKey} onChange={setDestKey} filters={DESTINATIONS} className="max-w-lg" />}
      </Field>
      <div>
        <Button onClick={run} busy={steps.busy === "reencrypt"} disabled={!text || !destination || !!steps.busy}>
          Encrypt and re-encrypt
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {(original || moved) && (
        <Values
          rows={[
            ["Under this key", short(original, 120)],
            ...(moved ? ([["Under the destination", short(moved.blob, 120), "reencrypted"], ["Destination key", moved.keyId]] as Array<[string, string, string?]>) : []),
          ]}
        />
      )}
      {roundTrip !== null && (
        <Verdict ok testId="reencrypt-roundtrip">
          The destination key decrypts it: <span data-testid="reencrypt-plaintext">{roundTrip}</span>
        </Verdict>
      )}
    </div>
  );
}
