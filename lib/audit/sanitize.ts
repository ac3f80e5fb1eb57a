// What may appear in an audit record. Plaintext, ciphertext, data keys,
// signatures, MACs, public keys, passwords and secrets never do: every byte
// string is dropped, and so is every field whose name says it is secret.
// Text is stored escaped: a NUL or lone surrogate (e.g. in a sign-in username,
// recorded before any validation) would make the record unsearchable.
import { escapeUnsafeText } from "@/lib/errors/text";

const SECRET_NAME = /password|secret|plaintext|token|privatekey/i;

export function sanitize(value: unknown, depth = 0): unknown {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Uint8Array) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (depth > 6) return undefined;
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1)).filter((v) => v !== undefined);
  if (typeof value === "object") {
    const out: Array<[string, unknown]> = [];
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_NAME.test(k)) continue;
      const s = sanitize(v, depth + 1);
      if (s !== undefined) out.push([escapeUnsafeText(k.charAt(0).toLowerCase() + k.slice(1)), s]);
    }
    return Object.fromEntries(out); // own properties: a "__proto__" key is recorded too
  }
  if (typeof value === "string") return escapeUnsafeText(value.length > 4096 ? `${value.slice(0, 4096)}…` : value);
  return value;
}
