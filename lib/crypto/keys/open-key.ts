// One entry point from (keySpec, plaintext material) to the right typed handle, and from
// (keySpec, SPKI DER) to a public-key handle. Handles copy what they need; the caller wipes
// its material buffer afterwards.
import { CryptoError } from "../errors";
import { NODE_CURVES, RSA_BITS, type EcSpec, type RsaSpec } from "../key-material";
import { isKeySpec, type KeySpec } from "../specs";
import { EcKey, EcPublicKey } from "./ec";
import { Ed25519Key, Ed25519PublicKey } from "./ed25519";
import { HmacKey, type HmacSpec } from "./hmac";
import { MlDsaKey, MlDsaPublicKey, type MlDsaSpec } from "./ml-dsa";
import { RsaKey, RsaPublicKey } from "./rsa";
import { SymmetricKey } from "./symmetric";

export type KeyHandle = SymmetricKey | RsaKey | EcKey | Ed25519Key | HmacKey | MlDsaKey;
export type PublicKeyHandle = RsaPublicKey | EcPublicKey | Ed25519PublicKey | MlDsaPublicKey;
/** Handles that can sign (discriminate on `kind`). */
export type SigningKeyHandle = RsaKey | EcKey | Ed25519Key | MlDsaKey;

const isRsa = (s: KeySpec): s is RsaSpec => s in RSA_BITS;
const isEc = (s: KeySpec): s is EcSpec => s in NODE_CURVES;
const isHmac = (s: KeySpec): s is HmacSpec => s.startsWith("HMAC_");
const isMlDsa = (s: KeySpec): s is MlDsaSpec => s.startsWith("ML_DSA_");

export function openKey(keySpec: "SYMMETRIC_DEFAULT", material: Uint8Array): SymmetricKey;
export function openKey(keySpec: RsaSpec, material: Uint8Array): RsaKey;
export function openKey(keySpec: EcSpec, material: Uint8Array): EcKey;
export function openKey(keySpec: "ECC_NIST_EDWARDS25519", material: Uint8Array): Ed25519Key;
export function openKey(keySpec: HmacSpec, material: Uint8Array): HmacKey;
export function openKey(keySpec: MlDsaSpec, material: Uint8Array): MlDsaKey;
export function openKey(keySpec: KeySpec, material: Uint8Array): KeyHandle;
export function openKey(keySpec: KeySpec, material: Uint8Array): KeyHandle {
  if (!isKeySpec(keySpec)) throw new CryptoError("InvalidInput", "unknown key spec");
  if (keySpec === "SYMMETRIC_DEFAULT") return new SymmetricKey(material);
  if (keySpec === "ECC_NIST_EDWARDS25519") return new Ed25519Key(material);
  if (isRsa(keySpec)) return new RsaKey(keySpec, material);
  if (isEc(keySpec)) return new EcKey(keySpec, material);
  if (isHmac(keySpec)) return new HmacKey(keySpec, material);
  if (isMlDsa(keySpec)) return new MlDsaKey(keySpec, material);
  throw new CryptoError("InvalidInput", "unsupported key spec");
}

/** A verifier/encryptor for an asymmetric key's SubjectPublicKeyInfo DER (GetPublicKey output). */
export function openPublicKey(keySpec: KeySpec, spkiDer: Uint8Array): PublicKeyHandle {
  if (!isKeySpec(keySpec)) throw new CryptoError("InvalidInput", "unknown key spec");
  if (keySpec === "ECC_NIST_EDWARDS25519") return new Ed25519PublicKey(spkiDer);
  if (isRsa(keySpec)) return new RsaPublicKey(keySpec, spkiDer);
  if (isEc(keySpec)) return new EcPublicKey(keySpec, spkiDer);
  if (isMlDsa(keySpec)) return new MlDsaPublicKey(keySpec, spkiDer);
  throw new CryptoError("IncompatibleAlgorithm", `${keySpec} has no public key`);
}
