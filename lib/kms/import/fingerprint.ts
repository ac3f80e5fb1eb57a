// A fingerprint of imported key material: an HMAC under the installation's
// import key, bound to the KMS key ID. It tells whether a re-import brings the
// same material back (AWS: IncorrectKeyMaterialException otherwise) without
// keeping anything from which the material could be recovered, so deleting the
// material still crypto-shreds it.
import { importMac, uuidBytes } from "./import-key";

export function materialFingerprint(keyId: string, material: Uint8Array): Promise<Buffer> {
  return importMac("imported-material-fingerprint", uuidBytes(keyId), material);
}
