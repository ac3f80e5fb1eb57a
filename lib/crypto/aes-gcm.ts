// AES-256-GCM with the only parameters this service uses: 32-byte key, 12-byte IV, 16-byte tag.
// Fixing them here means no caller can pick a short tag or a non-96-bit IV by accident.
import { createCipheriv, createDecipheriv, KeyObject } from "node:crypto";
import { CiphertextError, CryptoError } from "./errors";

export const AES_KEY_BYTES = 32;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/** A 256-bit AES key: raw bytes or (preferably) a secret KeyObject, which keeps bytes out of JS. */
export type AesKey = Uint8Array | KeyObject;

function checkKey(key: AesKey): void {
  const len = key instanceof KeyObject ? key.type === "secret" ? key.symmetricKeySize : -1 : key.length;
  if (len !== AES_KEY_BYTES) throw new CryptoError("InvalidKeyMaterial", "AES-256-GCM key must be 32 bytes");
}

/** Encrypts with an explicit IV. The IV must never repeat under one key; callers use randomIv() (random-iv.ts) or randomBytes(12). */
export function aesGcmSeal(
  key: AesKey,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): { ciphertext: Buffer; tag: Buffer } {
  checkKey(key);
  if (iv.length !== GCM_IV_BYTES) throw new CryptoError("InvalidInput", "GCM IV must be 12 bytes");
  const c = createCipheriv("aes-256-gcm", key, iv, { authTagLength: GCM_TAG_BYTES });
  c.setAAD(aad);
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
  return { ciphertext, tag: c.getAuthTag() };
}

/** Decrypts and authenticates; any failure (wrong key, IV, AAD, bytes or tag) → CiphertextError. */
export function aesGcmOpen(
  key: AesKey,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Buffer {
  checkKey(key);
  if (iv.length !== GCM_IV_BYTES || tag.length !== GCM_TAG_BYTES) throw new CiphertextError();
  try {
    const d = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: GCM_TAG_BYTES });
    d.setAAD(aad);
    d.setAuthTag(tag);
    const out = d.update(ciphertext);
    try {
      // final() throws on tag mismatch; only then may plaintext be released.
      return Buffer.concat([out, d.final()]);
    } finally {
      out.fill(0);
    }
  } catch {
    throw new CiphertextError();
  }
}
