// SYMMETRIC_DEFAULT keys: AES-256-GCM in the self-describing ciphertext format.
import { createSecretKey, type KeyObject } from "node:crypto";
import { AES_KEY_BYTES } from "../aes-gcm";
import type { EncryptionContext } from "../encryption-context";
import { CryptoError } from "../errors";
import { decryptSymmetric, encryptSymmetric } from "../symmetric-ciphertext";

export class SymmetricKey {
  readonly kind = "symmetric" as const;
  readonly keySpec = "SYMMETRIC_DEFAULT" as const;
  readonly #key: KeyObject;

  /** Copies the 32-byte material into a KeyObject; the caller may wipe its buffer afterwards. */
  constructor(material: Uint8Array) {
    if (material.length !== AES_KEY_BYTES) {
      throw new CryptoError("InvalidKeyMaterial", "SYMMETRIC_DEFAULT key material must be 32 bytes");
    }
    this.#key = createSecretKey(material);
  }

  /** keyId/materialVersion identify this key version in the blob header (authenticated). */
  encrypt(keyId: string, materialVersion: number, plaintext: Uint8Array, context?: EncryptionContext): Buffer {
    return encryptSymmetric(this.#key, keyId, materialVersion, plaintext, context);
  }

  /** Throws CiphertextError if the blob was not made by this key version with this context. */
  decrypt(blob: Uint8Array, context?: EncryptionContext): Buffer {
    return decryptSymmetric(this.#key, blob, context);
  }
}
