// Imported asymmetric key material (ImportKeyMaterial into an RSA or ECC key
// of Origin EXTERNAL): a PKCS#8 private key, as AWS takes it. It is checked to
// be a key of exactly the KMS key's spec whose two halves belong together, and
// re-encoded canonically by OpenSSL, so the same key always gives the same
// stored bytes and fingerprint whatever encoder produced it.
import { createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { CryptoError } from "./errors";
import { NODE_CURVES, RSA_BITS, type EcSpec, type RsaSpec } from "./key-material";
import { parsePkcs8 } from "./keys/der";

export const IMPORTABLE_ASYMMETRIC_SPECS = [...(Object.keys(RSA_BITS) as RsaSpec[]), ...(Object.keys(NODE_CURVES) as EcSpec[])] as const;
export type ImportableAsymmetricSpec = RsaSpec | EcSpec;

export function isImportableAsymmetricSpec(spec: string): spec is ImportableAsymmetricSpec {
  return (IMPORTABLE_ASYMMETRIC_SPECS as readonly string[]).includes(spec);
}

function matchesSpec(key: KeyObject, spec: ImportableAsymmetricSpec): boolean {
  if (spec in RSA_BITS) {
    return key.asymmetricKeyType === "rsa" && key.asymmetricKeyDetails?.modulusLength === RSA_BITS[spec as RsaSpec];
  }
  return key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === NODE_CURVES[spec as EcSpec];
}

/**
 * The canonical PKCS#8 DER of an imported private key of `spec`, or
 * CryptoError("InvalidKeyMaterial") with no detail of the key. The caller owns
 * (and wipes) both buffers.
 */
export function canonicalImportedPrivateKey(spec: ImportableAsymmetricSpec, pkcs8: Uint8Array): Buffer {
  const key = parsePkcs8(pkcs8);
  if (!matchesSpec(key, spec)) throw new CryptoError("InvalidKeyMaterial", `key material is not an ${spec} private key`);
  // A PKCS#8 blob may carry a public key (or RSA CRT values) that does not
  // belong to its private key: a signature made with it must verify under
  // the public key derived from it.
  const probe = Buffer.from("keyhold/imported-key-consistency/v1", "utf8");
  const signature = sign("sha256", probe, key);
  if (!verify("sha256", probe, createPublicKey(key), signature)) {
    throw new CryptoError("InvalidKeyMaterial", "the private key's components do not belong together");
  }
  return key.export({ format: "der", type: "pkcs8" });
}
