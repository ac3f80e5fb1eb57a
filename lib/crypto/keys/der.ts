// Parsing helpers: DER key bytes → node KeyObject with the expected type, with typed errors.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { CryptoError } from "../errors";

export function parsePkcs8(der: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
  } catch {
    throw new CryptoError("InvalidKeyMaterial", "key material is not a valid PKCS#8 private key");
  }
}

export function parseSpki(der: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" });
  } catch {
    throw new CryptoError("InvalidPublicKey", "public key is not a valid DER SubjectPublicKeyInfo");
  }
}

export function spkiDer(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" });
}
