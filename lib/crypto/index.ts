// Public surface of the crypto module. Internal helpers (bytes.ts, keys/der.ts, keys/rsa-digest.ts,
// keys/signing-input.ts) are not exported.
export { CryptoError, CiphertextError, isCiphertextError, type CryptoErrorKind } from "./errors";
export * from "./specs";
export { aesGcmSeal, aesGcmOpen, AES_KEY_BYTES, GCM_IV_BYTES, GCM_TAG_BYTES, type AesKey } from "./aes-gcm";
export { encodeEncryptionContext, type EncryptionContext } from "./encryption-context";
export {
  encryptSymmetric,
  decryptSymmetric,
  encryptSymmetricWith,
  decryptSymmetricWith,
  parseSymmetricHeader,
  SYMMETRIC_HEADER_BYTES,
  MIN_SYMMETRIC_BLOB_BYTES,
  type SymmetricHeader,
  type ExternalGcm,
} from "./symmetric-ciphertext";
export { generateKeyMaterial, ML_DSA_SEED_BYTES, type EcSpec, type RsaSpec } from "./key-material";
export type { KeyStore, KeyStoreDescription } from "./keystore/types";
export { LocalKeyStore, loadLocalKeyStore, ROOT_KEY_FILE, type LocalKeyStoreOptions } from "./keystore/local";
export { materialAad } from "./keystore/material-aad";
export { SymmetricKey } from "./keys/symmetric";
export { RsaKey, RsaPublicKey } from "./keys/rsa";
export { EcKey, EcPublicKey } from "./keys/ec";
export { Ed25519Key, Ed25519PublicKey } from "./keys/ed25519";
export { HmacKey, type HmacSpec } from "./keys/hmac";
export { MlDsaKey, MlDsaPublicKey, type MlDsaSpec } from "./keys/ml-dsa";
export { openKey, openPublicKey, type KeyHandle, type PublicKeyHandle, type SigningKeyHandle } from "./keys/open-key";
export { generateDataKeyPair, type DataKeyPair } from "./keys/data-key-pair";
export { MaterialCache, type MaterialCacheOptions } from "./material-cache";
export {
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  generateWrappingKeyPair,
  unwrapImportedMaterial,
  wrappingKeyAad,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from "./import-wrapping";
export {
  canonicalImportedPrivateKey,
  isImportableAsymmetricSpec,
  IMPORTABLE_ASYMMETRIC_SPECS,
  type ImportableAsymmetricSpec,
} from "./imported-private-key";
