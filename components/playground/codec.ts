// Bytes in the browser: base64 both ways, UTF-8 text, and the encryption
// context typed as "key=value, key=value". Pure: codec.test.ts.

export function toB64(u: Uint8Array): string {
  let s = "";
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}

export const fromB64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export const toHex = (u: Uint8Array): string => Array.from(u, (b) => b.toString(16).padStart(2, "0")).join("");

/** A long value cut for display, saying how long it was. */
export const short = (s: string, n = 96) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

export function parseContext(text: string): { context: Record<string, string>; error: string } {
  const context: Record<string, string> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) return { context, error: `"${part}" is not key=value.` };
    context[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { context, error: "" };
}

/** The request member for a context: absent when empty (AWS treats {} and absent alike, the audit shows less). */
export const contextMember = (context: Record<string, string>) => (Object.keys(context).length ? { EncryptionContext: context } : {});
