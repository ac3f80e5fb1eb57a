// AES-256 keys that live only inside a token: generated there (sensitive,
// never extractable), found by their label (the KMS key ID), used for
// AES-GCM there, destroyed there. The work runs in the token's worker process
// (lib/crypto/pkcs11/worker.mjs), which remembers key handles per login.
import type { SessionPool } from "./session-pool";

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export async function generateAesKey(pool: SessionPool, label: string): Promise<void> {
  await pool.call("generateAesKey", { label });
}

/** AES-GCM inside the token: returns ciphertext || 16-byte tag. */
export async function gcmSeal(pool: SessionPool, label: string, iv: Buffer, plaintext: Buffer, aad: Buffer): Promise<Buffer> {
  return asBuffer(await pool.call<Uint8Array>("seal", { label, iv, plaintext, aad }));
}

/** Inverse of gcmSeal; a tag that does not verify throws (see isBadCiphertext). */
export async function gcmOpen(pool: SessionPool, label: string, iv: Buffer, sealed: Buffer, aad: Buffer): Promise<Buffer> {
  return asBuffer(await pool.call<Uint8Array>("open", { label, iv, sealed, aad }));
}

/** Destroys every key object labelled `label`; how many there were. */
export function destroyAesKey(pool: SessionPool, label: string): Promise<number> {
  return pool.call<number>("destroyKeys", { label });
}

export async function tokenRandom(pool: SessionPool, bytes: number): Promise<Buffer> {
  return asBuffer(await pool.call<Uint8Array>("random", { bytes }));
}
