"use client";

import { useState } from "react";
import { contextMember, fromB64, parseContext, short, toB64, utf8 } from "@/components/playground/codec";
import type { KeyFacts } from "@/components/playground/operations";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Input, Textarea } from "@/components/ui/field";
import { kms, refusalOf, useSteps } from "./call";
import { box, Failure, Travel, Values, Verdict } from "./parts";

async function aes(data: Uint8Array, keyB64: string, iv: Uint8Array, mode: "encrypt" | "decrypt"): Promise<Uint8Array> {
  const raw = fromB64(keyB64);
  const key = await crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, [mode]);
  raw.fill(0);
  const out = await crypto.subtle[mode]({ name: "AES-GCM", iv: iv as BufferSource }, key, data as BufferSource);
  return new Uint8Array(out);
}

interface Sealed {
  wrappedKey: string;
  iv: string;
  ciphertext: string;
  context: Record<string, string>;
  keyArn: string;
  fileName?: string;
}

/** GenerateDataKey, AES-GCM in the browser, Decrypt of the wrapped data key; a wrong context fails. */
export function Envelope({ k }: { k: KeyFacts }) {
  const [text, setText] = useState("Hello from the envelope-encryption playground!");
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [contextText, setContextText] = useState("purpose=playground");
  const [sealed, setSealed] = useState<Sealed | null>(null);
  const [decrypted, setDecrypted] = useState<{ text?: string; bytes: number } | null>(null);
  const [wrongResult, setWrongResult] = useState("");
  const steps = useSteps();
  const { context, error: contextError } = parseContext(contextText);

  const encrypt = () =>
    steps.run("encrypt", async () => {
      setSealed(null);
      setDecrypted(null);
      setWrongResult("");
      const plaintext = file ? new Uint8Array(await file.arrayBuffer()) : utf8(text);
      const r = await kms<{ CiphertextBlob: string; Plaintext: string; KeyId: string }>("GenerateDataKey", { KeyId: k.KeyId, KeySpec: "AES_256", ...contextMember(context) });
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await aes(plaintext, r.Plaintext, iv, "encrypt");
      // The plaintext data key is dropped here: only the wrapped copy is kept with the ciphertext.
      setSealed({ wrappedKey: r.CiphertextBlob, iv: toB64(iv), ciphertext: toB64(ciphertext), context, keyArn: r.KeyId, fileName: file?.name });
    });

  const decrypt = (wrong: boolean) =>
    steps.run(wrong ? "wrong" : "decrypt", async () => {
      if (!sealed) return;
      if (wrong) {
        setWrongResult("");
        const ctx = { ...sealed.context, purpose: `${sealed.context.purpose ?? "x"}-tampered` };
        const r = await refusalOf(() => kms("Decrypt", { CiphertextBlob: sealed.wrappedKey, EncryptionContext: ctx }));
        setWrongResult(r);
        return;
      }
      setDecrypted(null);
      const r = await kms<{ Plaintext: string }>("Decrypt", { CiphertextBlob: sealed.wrappedKey, ...contextMember(sealed.context) });
      const plain = await aes(fromB64(sealed.ciphertext), r.Plaintext, fromB64(sealed.iv), "decrypt");
      setDecrypted({ bytes: plain.length, text: sealed.fileName ? undefined : new TextDecoder().decode(plain) });
    });

  return (
    <div className="flex flex-col gap-4">
      <Travel
        browser="plaintext, AES-GCM with the data key, ciphertext"
        calls={["→ GenerateDataKey(KeyId, context)", "← data key + wrapped data key", "→ Decrypt(wrapped key, context)", "← data key"]}
        note="the plaintext never leaves the browser"
        keyhold="the KMS key never leaves; it wraps and unwraps data keys"
      />
      <Field label="Text to encrypt">
        {(p) => <Textarea {...p} rows={3} value={text} onChange={(e) => setText(e.target.value)} disabled={!!file} />}
      </Field>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const f = e.dataTransfer.files[0];
          if (f) setFile(f);
        }}
        className={cn(
          "flex flex-wrap items-center gap-3 rounded-md border-2 border-dashed p-4 text-sm",
          dragging ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950/40" : "border-slate-300 dark:border-slate-700",
        )}
      >
        <label className="flex items-center gap-2">
          Or drop a file here, or choose one:
          <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="text-xs" />
        </label>
        {file && (
          <span>
            {file.name} ({file.size.toLocaleString()} bytes){" "}
            <Button variant="ghost" size="sm" onClick={() => setFile(null)}>
              Use the text instead
            </Button>
          </span>
        )}
      </div>
      <Field label="Encryption context" hint="key=value pairs separated by commas; bound to the wrapped key." error={contextError}>
        {(p) => <Input {...p} value={contextText} onChange={(e) => setContextText(e.target.value)} className="max-w-lg font-mono" />}
      </Field>
      <div>
        <Button onClick={encrypt} busy={steps.busy === "encrypt"} disabled={!!contextError || !!steps.busy}>
          Encrypt
        </Button>
      </div>
      <Failure failure={steps.failure} />
      {sealed && (
        <section className={cn(box, "flex flex-col gap-4")} aria-label="Result">
          <h2 className="font-medium">What is stored: the wrapped data key and the ciphertext</h2>
          <Values
            rows={[
              ["KMS key", sealed.keyArn],
              ["Encryption context", JSON.stringify(sealed.context)],
              ["Wrapped data key", short(sealed.wrappedKey, 200), "wrapped-key"],
              ["IV", sealed.iv],
              ["Ciphertext", short(sealed.ciphertext, 200), "ciphertext"],
            ]}
          />
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => decrypt(false)} busy={steps.busy === "decrypt"} disabled={!!steps.busy}>
              Decrypt
            </Button>
            <Button variant="secondary" onClick={() => decrypt(true)} busy={steps.busy === "wrong"} disabled={!!steps.busy}>
              Try a wrong encryption context
            </Button>
          </div>
          {decrypted && (
            <Verdict ok testId="decrypted">
              Decrypted {decrypted.bytes.toLocaleString()} bytes
              {decrypted.text !== undefined && (
                <>
                  : <span data-testid="decrypted-text">{decrypted.text}</span>
                </>
              )}
            </Verdict>
          )}
          {wrongResult && (
            <Verdict ok={false} testId="wrong-context-result">
              With a wrong encryption context Keyhold refuses to unwrap the data key — {wrongResult}
            </Verdict>
          )}
        </section>
      )}
    </div>
  );
}
