"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { getJson, keyName } from "@/components/keys/client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import type { KeyListPage } from "@/lib/console/keys/types";
import { decryptDataKeyAction, generateDataKeyAction } from "./actions";

const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
function toB64(u: Uint8Array): string {
  let s = "";
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}
const short = (s: string, n = 96) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function parseContext(text: string): { context: Record<string, string>; error: string } {
  const context: Record<string, string> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) return { context, error: `"${part}" is not key=value.` };
    context[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { context, error: "" };
}

async function aes(data: Uint8Array, keyB64: string, iv: Uint8Array, mode: "encrypt" | "decrypt"): Promise<Uint8Array> {
  const raw = fromB64(keyB64);
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, [mode]);
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
  size: number;
}

export function Playground() {
  const keys = useQuery({
    queryKey: ["keys", "playground"],
    // Only keys this user may use (the key policy's decision for Encrypt/Decrypt), not every key they can list.
    queryFn: () => getJson<KeyListPage>("/api/keys?spec=SYMMETRIC_DEFAULT&usage=ENCRYPT_DECRYPT&status=Enabled&usable=1&pageSize=100"),
  });
  const [keyId, setKeyId] = useState("");
  const [text, setText] = useState("Hello from the envelope-encryption playground!");
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [contextText, setContextText] = useState("purpose=playground");
  const [sealed, setSealed] = useState<Sealed | null>(null);
  const [decrypted, setDecrypted] = useState<{ text?: string; bytes: number } | null>(null);
  const [error, setError] = useState("");
  const [wrongResult, setWrongResult] = useState("");
  const [busy, setBusy] = useState<"" | "encrypt" | "decrypt" | "wrong">("");
  const { context, error: contextError } = parseContext(contextText);
  const selected = keyId || keys.data?.keys[0]?.id || "";

  async function encrypt() {
    setBusy("encrypt");
    setError("");
    setSealed(null);
    setDecrypted(null);
    setWrongResult("");
    try {
      const plaintext = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
      const r = await generateDataKeyAction(selected, context);
      if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await aes(plaintext, r.data.dataKey, iv, "encrypt");
      // The plaintext data key is dropped here: only the wrapped copy is kept with the ciphertext.
      setSealed({ wrappedKey: r.data.wrappedKey, iv: toB64(iv), ciphertext: toB64(ciphertext), context, keyArn: r.data.keyArn, fileName: file?.name, size: plaintext.length });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy("");
    }
  }

  async function decrypt(wrong: boolean) {
    if (!sealed) return;
    setBusy(wrong ? "wrong" : "decrypt");
    setError("");
    if (wrong) setWrongResult("");
    else setDecrypted(null);
    try {
      const ctx = wrong ? { ...sealed.context, purpose: `${sealed.context.purpose ?? "x"}-tampered` } : sealed.context;
      const r = await decryptDataKeyAction(sealed.wrappedKey, ctx);
      if (!r.ok) {
        if (wrong) return setWrongResult(`${r.error.name}: ${r.error.message}`);
        throw new Error(`${r.error.name}: ${r.error.message}`);
      }
      if (wrong) return setWrongResult("Unexpectedly succeeded");
      const plain = await aes(fromB64(sealed.ciphertext), r.data.dataKey, fromB64(sealed.iv), "decrypt");
      setDecrypted({ bytes: plain.length, text: sealed.fileName ? undefined : new TextDecoder().decode(plain) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy("");
    }
  }

  const box = "rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Envelope encryption playground</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Keyhold generates a data key under a KMS key; your browser encrypts with it (AES-256-GCM) and keeps only the wrapped copy. To
          decrypt, Keyhold unwraps the data key, if the encryption context matches.
        </p>
      </div>

      <figure className={cn(box, "grid gap-3 text-center text-xs md:grid-cols-[1fr_auto_1fr]")} aria-label="What travels where">
        <div className="rounded-md border border-indigo-300 p-3 dark:border-indigo-800">
          <p className="font-semibold">Your browser</p>
          <p>plaintext, AES-GCM with the data key, ciphertext</p>
        </div>
        <div className="flex flex-col justify-center gap-1 font-mono">
          <span>→ GenerateDataKey(KeyId, context)</span>
          <span>← data key + wrapped data key</span>
          <span>→ Decrypt(wrapped key, context)</span>
          <span>← data key</span>
          <span className="text-slate-500">(the plaintext never leaves the browser)</span>
        </div>
        <div className="rounded-md border border-emerald-300 p-3 dark:border-emerald-800">
          <p className="font-semibold">Keyhold</p>
          <p>the KMS key never leaves; it wraps and unwraps data keys</p>
        </div>
      </figure>

      <section className={cn(box, "flex flex-col gap-4")} aria-label="Input">
        {keys.isPending ? (
          <Skeleton className="h-16" />
        ) : keys.data?.keys.length ? (
          <Field label="Key" hint="Enabled symmetric encryption keys you may use.">
            {(p) => (
              <Select {...p} value={selected} onChange={(e) => setKeyId(e.target.value)} className="max-w-lg">
                {keys.data.keys.map((k) => (
                  <option key={k.id} value={k.id}>
                    {keyName(k)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : (
          <p className="text-sm">
            No enabled symmetric key you may use yet. <Link href="/keys/new" className="text-indigo-700 underline dark:text-indigo-300">Create one</Link>, or
            ask a key administrator to add you to a key&apos;s users.
          </p>
        )}
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
          <Button onClick={encrypt} busy={busy === "encrypt"} disabled={!selected || !!contextError || !!busy}>
            Encrypt
          </Button>
        </div>
      </section>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      )}

      {sealed && (
        <section className={cn(box, "flex flex-col gap-4")} aria-label="Result">
          <h2 className="font-medium">What is stored: the wrapped data key and the ciphertext</h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[max-content_1fr]">
            <dt className="text-slate-500">KMS key</dt>
            <dd className="font-mono text-xs break-all">{sealed.keyArn}</dd>
            <dt className="text-slate-500">Encryption context</dt>
            <dd className="font-mono text-xs">{JSON.stringify(sealed.context)}</dd>
            <dt className="text-slate-500">Wrapped data key</dt>
            <dd className="font-mono text-xs break-all" data-testid="wrapped-key">
              {short(sealed.wrappedKey, 200)}
            </dd>
            <dt className="text-slate-500">IV</dt>
            <dd className="font-mono text-xs">{sealed.iv}</dd>
            <dt className="text-slate-500">Ciphertext</dt>
            <dd className="font-mono text-xs break-all" data-testid="ciphertext">
              {short(sealed.ciphertext, 200)}
            </dd>
          </dl>
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => decrypt(false)} busy={busy === "decrypt"} disabled={!!busy}>
              Decrypt
            </Button>
            <Button variant="secondary" onClick={() => decrypt(true)} busy={busy === "wrong"} disabled={!!busy}>
              Try a wrong encryption context
            </Button>
          </div>
          {decrypted && (
            <div className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" data-testid="decrypted">
              Decrypted {decrypted.bytes.toLocaleString()} bytes
              {decrypted.text !== undefined && (
                <>
                  : <span data-testid="decrypted-text">{decrypted.text}</span>
                </>
              )}
            </div>
          )}
          {wrongResult && (
            <p role="alert" data-testid="wrong-context-result" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              With a wrong encryption context Keyhold refuses to unwrap the data key — {wrongResult}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
