// Unwrapping of key material imported with ImportKeyMaterial, exactly as AWS KMS defines the
// wrapping algorithms (so material wrapped with openssl for AWS imports into Keyhold unchanged):
//   RSAES_OAEP_SHA_1 / _SHA_256      EncryptedKeyMaterial = RSA-OAEP(material), MGF1 with the same
//                                    hash, empty label.
//   RSA_AES_KEY_WRAP_SHA_1 / _SHA_256 EncryptedKeyMaterial = RSA-OAEP(ephemeral AES-256 key)
//                                    || AES Key Wrap with Padding (RFC 5649) of the material under
//                                    that AES key. Needed for material longer than OAEP can carry.
// RSAES_PKCS1_V1_5 (withdrawn by AWS: padding-oracle prone) and the SM2 algorithms are not offered.
// Everything is node:crypto (OpenSSL); nothing here is home-made.
import { constants, createDecipheriv, createPrivateKey, generateKeyPair, privateDecrypt, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { lengthPrefixed, uuidToBytes } from "./bytes";
import { CiphertextError, CryptoError } from "./errors";
import { RSA_BITS, type RsaSpec } from "./key-material";

export const WRAPPING_ALGORITHMS = [
  "RSAES_OAEP_SHA_1",
  "RSAES_OAEP_SHA_256",
  "RSA_AES_KEY_WRAP_SHA_1",
  "RSA_AES_KEY_WRAP_SHA_256",
] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];

export const WRAPPING_KEY_SPECS = ["RSA_2048", "RSA_3072", "RSA_4096"] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number] & RsaSpec;

const OAEP_HASH: Record<WrappingAlgorithm, "sha1" | "sha256"> = {
  RSAES_OAEP_SHA_1: "sha1",
  RSAES_OAEP_SHA_256: "sha256",
  RSA_AES_KEY_WRAP_SHA_1: "sha1",
  RSA_AES_KEY_WRAP_SHA_256: "sha256",
};

/** RFC 5649 alternative initial value: the IV OpenSSL's id-aes256-wrap-pad expects. */
const KWP_IV = Buffer.from("a65959a6", "hex");
const AES_256_KEY_BYTES = 32;

const generateRsaPair = promisify(generateKeyPair);

/**
 * A fresh RSA wrapping key pair (private PKCS#8 DER to be stored wrapped; public SPKI DER for the
 * caller). Asynchronous: an RSA-4096 key takes long enough to stall a server's event loop.
 */
export async function generateWrappingKeyPair(spec: WrappingKeySpec): Promise<{ privateKeyDer: Buffer; publicKeyDer: Buffer }> {
  if (!(spec in RSA_BITS)) throw new CryptoError("InvalidInput", "not an RSA wrapping key spec");
  const pair = await generateRsaPair("rsa", {
    modulusLength: RSA_BITS[spec],
    publicExponent: 65537,
    privateKeyEncoding: { type: "pkcs8", format: "der" },
    publicKeyEncoding: { type: "spki", format: "der" },
  });
  return { privateKeyDer: pair.privateKey, publicKeyDer: pair.publicKey };
}

/**
 * AAD for storing a wrapping private key under the root key: binds the blob to its parameters
 * row, the KMS key it was issued for, and the algorithm and spec it was issued with, so a row
 * edited to point elsewhere fails to unwrap.
 */
export function wrappingKeyAad(parametersId: string, keyId: string, algorithm: WrappingAlgorithm, spec: WrappingKeySpec): Buffer {
  return Buffer.concat([
    lengthPrefixed(Buffer.from("keyhold/import-wrapping-key/v1", "utf8")),
    uuidToBytes(parametersId),
    uuidToBytes(keyId),
    lengthPrefixed(Buffer.from(algorithm, "utf8")),
    lengthPrefixed(Buffer.from(spec, "utf8")),
  ]);
}

function oaepDecrypt(key: KeyObject, hash: "sha1" | "sha256", data: Buffer): Buffer {
  return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data);
}

function kwpUnwrap(aesKey: Buffer, wrapped: Buffer): Buffer {
  const d = createDecipheriv("id-aes256-wrap-pad", aesKey, KWP_IV);
  return Buffer.concat([d.update(wrapped), d.final()]);
}

/**
 * Recovers imported key material. Any failure (wrong wrapping key, wrong algorithm, a changed
 * byte, bad padding or integrity check) is one CiphertextError with no detail, so the call
 * cannot serve as a padding oracle. The caller owns (and must wipe) the returned buffer.
 */
export function unwrapImportedMaterial(
  privateKeyDer: Buffer,
  spec: WrappingKeySpec,
  algorithm: WrappingAlgorithm,
  encrypted: Buffer,
): Buffer {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyDer, format: "der", type: "pkcs8" });
  } catch {
    throw new CryptoError("InvalidKeyMaterial", "wrapping private key is malformed");
  }
  const rsaBytes = RSA_BITS[spec] / 8;
  const hash = OAEP_HASH[algorithm];
  if (!hash) throw new CryptoError("IncompatibleAlgorithm", "unknown wrapping algorithm");
  try {
    if (algorithm === "RSAES_OAEP_SHA_1" || algorithm === "RSAES_OAEP_SHA_256") {
      if (encrypted.length !== rsaBytes) throw new Error("length");
      return oaepDecrypt(key, hash, encrypted);
    }
    // RSA_AES_KEY_WRAP: the RSA block comes first, the KWP blob (at least 16 bytes) after it.
    if (encrypted.length < rsaBytes + 16) throw new Error("length");
    const aesKey = oaepDecrypt(key, hash, encrypted.subarray(0, rsaBytes));
    try {
      if (aesKey.length !== AES_256_KEY_BYTES) throw new Error("aes key length");
      return kwpUnwrap(aesKey, encrypted.subarray(rsaBytes));
    } finally {
      aesKey.fill(0);
    }
  } catch {
    throw new CiphertextError("encrypted key material could not be unwrapped");
  }
}
