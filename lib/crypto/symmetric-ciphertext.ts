// The symmetric ciphertext blob (see docs/ciphertext-format.md):
//   magic 0x4B | format 0x01 | key ID (16 bytes) | material version (uint32 BE) | IV (12) | ct | tag (16)
// GCM AAD = header (first 22 bytes) || canonical encryption context, so any change to the header,
// the context, the IV, the ciphertext or the tag fails authentication.
import { aesGcmOpen, aesGcmSeal, GCM_IV_BYTES, GCM_TAG_BYTES, type AesKey } from "./aes-gcm";
import { bytesToUuid, isUint32, u32be, uuidToBytes } from "./bytes";
import { encodeEncryptionContext, type EncryptionContext } from "./encryption-context";
import { randomIv } from "./random-iv";
import { CiphertextError, CryptoError } from "./errors";

export const CIPHERTEXT_MAGIC = 0x4b; // 'K'
export const CIPHERTEXT_FORMAT_V1 = 0x01;
export const SYMMETRIC_HEADER_BYTES = 2 + 16 + 4;
/** Smallest valid blob: header + IV + tag (empty plaintext). */
export const MIN_SYMMETRIC_BLOB_BYTES = SYMMETRIC_HEADER_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES;

export interface SymmetricHeader {
  /** KMS key ID (lowercase UUID) whose material encrypted the blob. */
  keyId: string;
  /** Material version (rotation) of that key. */
  materialVersion: number;
}

function header(keyId: string, materialVersion: number): Buffer {
  if (!isUint32(materialVersion)) throw new CryptoError("InvalidInput", "material version must be a uint32");
  return Buffer.concat([Buffer.from([CIPHERTEXT_MAGIC, CIPHERTEXT_FORMAT_V1]), uuidToBytes(keyId), u32be(materialVersion)]);
}

export function encryptSymmetric(
  material: AesKey,
  keyId: string,
  materialVersion: number,
  plaintext: Uint8Array,
  context?: EncryptionContext,
): Buffer {
  const h = header(keyId, materialVersion);
  const iv = randomIv();
  const { ciphertext, tag } = aesGcmSeal(material, iv, plaintext, Buffer.concat([h, encodeEncryptionContext(context)]));
  return Buffer.concat([h, iv, ciphertext, tag]);
}

/**
 * AES-GCM done elsewhere (inside an HSM): `seal` returns ciphertext || tag,
 * `open` takes it back. The blob format is the same, so Decrypt finds the key
 * from the header whoever holds it.
 */
export interface ExternalGcm {
  seal(iv: Buffer, plaintext: Buffer, aad: Buffer): Promise<Buffer>;
  open(iv: Buffer, sealed: Buffer, aad: Buffer): Promise<Buffer>;
}

export async function encryptSymmetricWith(
  gcm: ExternalGcm,
  keyId: string,
  materialVersion: number,
  plaintext: Uint8Array,
  context?: EncryptionContext,
): Promise<Buffer> {
  const h = header(keyId, materialVersion);
  const iv = randomIv();
  const sealed = await gcm.seal(iv, Buffer.from(plaintext), Buffer.concat([h, encodeEncryptionContext(context)]));
  if (sealed.length !== plaintext.length + GCM_TAG_BYTES) throw new CryptoError("InvalidInput", "the HSM returned a sealed text of an unexpected length");
  return Buffer.concat([h, iv, sealed]);
}

/** Inverse of encryptSymmetricWith; `open` must throw when the tag does not verify. */
export async function decryptSymmetricWith(gcm: ExternalGcm, blob: Uint8Array, context?: EncryptionContext): Promise<Buffer> {
  parseSymmetricHeader(blob);
  const aad = Buffer.concat([blob.subarray(0, SYMMETRIC_HEADER_BYTES), encodeEncryptionContext(context)]);
  const ivEnd = SYMMETRIC_HEADER_BYTES + GCM_IV_BYTES;
  return gcm.open(Buffer.from(blob.subarray(SYMMETRIC_HEADER_BYTES, ivEnd)), Buffer.from(blob.subarray(ivEnd)), aad);
}

/** Reads the key ID and version so the caller can fetch the right material. Does NOT authenticate. */
export function parseSymmetricHeader(blob: Uint8Array): SymmetricHeader {
  if (!(blob instanceof Uint8Array) || blob.length < MIN_SYMMETRIC_BLOB_BYTES) {
    throw new CiphertextError("ciphertext is truncated or not a Keyhold ciphertext");
  }
  if (blob[0] !== CIPHERTEXT_MAGIC || blob[1] !== CIPHERTEXT_FORMAT_V1) {
    throw new CiphertextError("unknown ciphertext format");
  }
  const id = blob.subarray(2, 18);
  if (id.every((b) => b === 0)) throw new CiphertextError("ciphertext has an invalid key ID");
  const materialVersion = Buffer.from(blob.buffer, blob.byteOffset + 18, 4).readUInt32BE(0);
  return { keyId: bytesToUuid(id), materialVersion };
}

export function decryptSymmetric(material: AesKey, blob: Uint8Array, context?: EncryptionContext): Buffer {
  parseSymmetricHeader(blob);
  const aad = Buffer.concat([blob.subarray(0, SYMMETRIC_HEADER_BYTES), encodeEncryptionContext(context)]);
  const ivEnd = SYMMETRIC_HEADER_BYTES + GCM_IV_BYTES;
  return aesGcmOpen(
    material,
    blob.subarray(SYMMETRIC_HEADER_BYTES, ivEnd),
    blob.subarray(ivEnd, blob.length - GCM_TAG_BYTES),
    blob.subarray(blob.length - GCM_TAG_BYTES),
    aad,
  );
}
