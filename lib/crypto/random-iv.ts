// Random GCM IVs for the data plane, drawn from a pool filled by one
// randomFillSync call (Node's own randomUUID pools the same way): one call into
// OpenSSL's CSPRNG per ~340 IVs instead of one per request. IVs are public, so a
// pool of them in memory gives nothing away; secret bytes (data keys, key
// material) still come straight from randomBytes. Each refill is a new buffer:
// an IV handed out is never overwritten.
import { randomFillSync } from "node:crypto";
import { GCM_IV_BYTES } from "./aes-gcm";

const POOL_BYTES = GCM_IV_BYTES * 341;
let pool = Buffer.alloc(0);
let offset = 0;

/** A fresh random 12-byte IV (a view of a pool buffer that is never written again). */
export function randomIv(): Buffer {
  if (offset + GCM_IV_BYTES > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const iv = pool.subarray(offset, offset + GCM_IV_BYTES);
  offset += GCM_IV_BYTES;
  return iv;
}
