// Small byte helpers shared by the binary formats (internal; not re-exported from index.ts).
import { CryptoError } from "./errors";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** Canonical UUID string (any case) → 16 raw bytes. Throws CryptoError(InvalidInput). */
export function uuidToBytes(id: string): Buffer {
  if (typeof id !== "string" || !UUID_RE.test(id)) {
    throw new CryptoError("InvalidInput", "key ID must be a UUID");
  }
  return Buffer.from(id.replace(/-/g, ""), "hex");
}

/** 16 raw bytes → lowercase canonical UUID string. */
export function bytesToUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function isUint32(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

export function u32be(n: number): Buffer {
  if (!isUint32(n)) throw new CryptoError("InvalidInput", "value must be a uint32");
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** uint32 big-endian length || bytes: an unambiguous encoding for concatenated fields. */
export function lengthPrefixed(bytes: Uint8Array): Buffer {
  return Buffer.concat([u32be(bytes.length), bytes]);
}

/** Best-effort wipe of secret bytes (JS cannot guarantee no other copies exist). */
export function wipe(...bufs: (Uint8Array | undefined)[]): void {
  for (const b of bufs) b?.fill(0);
}
