"use client";

import { useState } from "react";
import { contextMember, fromB64, parseContext, short, toB64, utf8 } from "@/components/playground/codec";
import { encryptionAlgorithms, type KeyFacts } from "@/components/playground/operations";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { kms, useSteps } from "./call";
import { Failure, Travel, Values, Verdict } from "./parts";

/** Encrypt and Decrypt with the KMS key itself: symmetric (with a context) or RSA-OAEP. */
export function EncryptDecrypt({ k }: { k: KeyFacts }) {
  const algorithms = encryptionAlgorithms(k);
  const [algorithm, setAlgorithm] = useState(algorithms[0] ?? "");
  const [text, setText] = useState("A short secret, at most 4 KiB");
  const [contextText, setContextText] = useState("purpose=playground");
  const [ciphertext, setCiphertext] = useState("");
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const steps = useSteps();
  const symmetric = algorithm === "SYMMETRIC_DEFAULT";
  // AWS takes no encryption context with asymmetric keys.
  const { context, error: contextError } = symmetric ? parseContext(contextText) : { context: {}, error: "" };
  const rsa = symmetric ? {} : { EncryptionAlgorithm: algorithm };

  const encrypt = () =>
    steps.run("encrypt", async () => {
      setCiphertext("");
      setPlaintext(null);
      const r = await kms<{ CiphertextBlob: string }>("Encrypt", { KeyId: k.KeyId, Plaintext: toB64(utf8(text)), ...rsa, ...contextMember(context) });
      setCiphertext(r.CiphertextBlob);
    });
  const decrypt = () =>
    steps.run("decrypt", async () => {
      // A symmetric blob names its key; an RSA ciphertext does not, so Decrypt needs KeyId and the algorithm.
      const r = await kms<{ Plaintext: string }>("Decrypt", { CiphertextBlob: ciphertext, ...(symmetric ? {} : { KeyId: k.KeyId, ...rsa }), ...contextMember(context) });
      setPlaintext(new TextDecoder().decode(fromB64(r.Plaintext)));
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser="the plaintext (sent to Keyhold), the ciphertext blob"
        calls={[`→ Encrypt(KeyId, plaintext${symmetric ? ", context" : ", algorithm"})`, "← ciphertext", "→ Decrypt(ciphertext…)", "← plaintext"]}
        note={symmetric ? "the plaintext travels to Keyhold: keep it small, use envelope encryption for data" : "anyone with the public key can encrypt offline; only Keyhold decrypts"}
        keyhold={symmetric ? "the key; AES-256-GCM over plaintext and context" : "the private key; RSA-OAEP decryption"}
      />
      <Field label="Encryption algorithm">
        {(p) => (
          <Select {...p} value={algorithm} onChange={(e) => setAlgorithm(e.target.value)} className="max-w-xs">
            {algorithms.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Plaintext">{(p) => <Textarea {...p} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}</Field>
      {symmetric && (
        <Field label="Encryption context" hint="key=value pairs separated by commas; Decrypt must send the same." error={contextError}>
          {(p) => <Input {...p} value={contextText} onChange={(e) => setContextText(e.target.value)} className="max-w-lg font-mono" />}
        </Field>
      )}
      <div className="flex flex-wrap gap-2">
        <Button onClick={encrypt} busy={steps.busy === "encrypt"} disabled={!text || !!contextError || !!steps.busy}>
          Encrypt
        </Button>
        <Button variant="secondary" onClick={decrypt} busy={steps.busy === "decrypt"} disabled={!ciphertext || !!steps.busy}>
          Decrypt
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {ciphertext && <Values rows={[["Ciphertext blob", short(ciphertext, 200), "encrypt-ciphertext"]]} />}
      {plaintext !== null && (
        <Verdict ok testId="encrypt-roundtrip">
          Decrypted: <span data-testid="encrypt-plaintext">{plaintext}</span>
        </Verdict>
      )}
    </div>
  );
}
