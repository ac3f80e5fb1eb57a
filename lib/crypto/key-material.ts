// Generation of the private material stored (wrapped) per key version:
//   SYMMETRIC_DEFAULT → 32 random bytes          HMAC_N → random key of the hash length
//   RSA / EC / Ed25519 → PKCS#8 DER              ML_DSA_N → the 32-byte FIPS 204 seed ξ
// The returned Buffer is plaintext key material: the caller must wipe it (buf.fill(0)) when done.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { AES_KEY_BYTES } from "./aes-gcm";
import { CryptoError } from "./errors";
import { HMAC_KEY_BYTES, isKeySpec, type KeySpec } from "./specs";

export const ML_DSA_SEED_BYTES = 32;

type AsymSpec = Exclude<KeySpec, "SYMMETRIC_DEFAULT" | `HMAC_${string}` | `ML_DSA_${string}`>;

export const NODE_CURVES = {
  ECC_NIST_P256: "prime256v1",
  ECC_NIST_P384: "secp384r1",
  ECC_NIST_P521: "secp521r1",
  ECC_SECG_P256K1: "secp256k1",
} as const;
export type EcSpec = keyof typeof NODE_CURVES;

export const RSA_BITS = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 } as const;
export type RsaSpec = keyof typeof RSA_BITS;

/** Generates a key pair for an asymmetric spec (RSA, EC, Ed25519) as PKCS#8 / SPKI DER. */
export function generateAsymmetricPair(spec: AsymSpec): { privateKeyDer: Buffer; publicKeyDer: Buffer } {
  // Explicit encodings in each call so TypeScript picks the Buffer-returning overloads.
  const privateKeyEncoding = { type: "pkcs8", format: "der" } as const;
  const publicKeyEncoding = { type: "spki", format: "der" } as const;
  let pair: { privateKey: Buffer; publicKey: Buffer };
  if (spec in RSA_BITS) {
    const modulusLength = RSA_BITS[spec as RsaSpec];
    pair = generateKeyPairSync("rsa", { modulusLength, publicExponent: 65537, privateKeyEncoding, publicKeyEncoding });
  } else if (spec in NODE_CURVES) {
    pair = generateKeyPairSync("ec", { namedCurve: NODE_CURVES[spec as EcSpec], privateKeyEncoding, publicKeyEncoding });
  } else if (spec === "ECC_NIST_EDWARDS25519") {
    pair = generateKeyPairSync("ed25519", { privateKeyEncoding, publicKeyEncoding });
  } else {
    throw new CryptoError("InvalidInput", "not an asymmetric key spec");
  }
  return { privateKeyDer: pair.privateKey, publicKeyDer: pair.publicKey };
}

export function generateKeyMaterial(spec: KeySpec): Buffer {
  if (!isKeySpec(spec)) throw new CryptoError("InvalidInput", "unknown key spec");
  switch (spec) {
    case "SYMMETRIC_DEFAULT":
      return randomBytes(AES_KEY_BYTES);
    case "HMAC_224":
    case "HMAC_256":
    case "HMAC_384":
    case "HMAC_512":
      return randomBytes(HMAC_KEY_BYTES[spec].generated);
    case "ML_DSA_44":
    case "ML_DSA_65":
    case "ML_DSA_87":
      return randomBytes(ML_DSA_SEED_BYTES);
    default:
      return generateAsymmetricPair(spec).privateKeyDer;
  }
}
