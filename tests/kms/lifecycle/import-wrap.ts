// What a BYOK user does outside Keyhold (as with openssl for AWS KMS): wrap key
// material under the public key GetParametersForImport returned. Written here
// from node:crypto, independently of lib/crypto's unwrapping code.
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";

export const WRAPPING_ALGORITHMS = [
  "RSAES_OAEP_SHA_1",
  "RSAES_OAEP_SHA_256",
  "RSA_AES_KEY_WRAP_SHA_1",
  "RSA_AES_KEY_WRAP_SHA_256",
] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];

export function wrapForImport(publicKeyDer: Uint8Array, algorithm: WrappingAlgorithm, material: Uint8Array): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: "der", type: "spki" });
  const oaep = { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm.endsWith("SHA_1") ? "sha1" : "sha256" };
  if (algorithm.startsWith("RSAES_OAEP")) return publicEncrypt(oaep, material);
  // openssl pkeyutl -encrypt (OAEP) of an ephemeral AES-256 key, then
  // openssl enc -id-aes256-wrap-pad -iv A65959A6 of the material.
  const aesKey = randomBytes(32);
  const kwp = createCipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("A65959A6", "hex"));
  return Buffer.concat([publicEncrypt(oaep, aesKey), kwp.update(material), kwp.final()]);
}
