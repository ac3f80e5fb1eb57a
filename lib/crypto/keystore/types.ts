// A key store holds the root key and does exactly two things with it: wrap and unwrap key
// material. Async so that an HSM (PKCS#11) store, whose calls block on a device, fits the same shape.

export interface KeyStoreDescription {
  kind: string;
  [k: string]: unknown;
}

export interface KeyStore {
  readonly kind: string;
  /** Encrypts `material` under the root key, binding `aad` (see materialAad()). */
  wrap(material: Buffer, aad: Buffer): Promise<Buffer>;
  /** Inverse of wrap; wrong AAD, wrong root key or any changed byte → CiphertextError. */
  unwrap(blob: Buffer, aad: Buffer): Promise<Buffer>;
  /** Non-secret facts for the settings page and logs. Never contains key bytes. */
  describe(): KeyStoreDescription;
}
