// Typed failures of the crypto module. Messages are fixed strings or describe shapes and
// lengths only: never key bytes, plaintext or ciphertext, so they are safe to log and audit.

export type CryptoErrorKind =
  /** Ciphertext, wrapped blob or sealed box did not authenticate or is malformed. */
  | "InvalidCiphertext"
  /** The algorithm or operation is not valid for this key spec / usage. */
  | "IncompatibleAlgorithm"
  /** Caller input has the wrong shape (digest length, message size, encryption context). */
  | "InvalidInput"
  /** A peer public key (ECDH) or imported public key is malformed or on another curve. */
  | "InvalidPublicKey"
  /** Stored key material does not match its key spec. */
  | "InvalidKeyMaterial";

export class CryptoError extends Error {
  readonly kind: CryptoErrorKind;
  constructor(kind: CryptoErrorKind, message: string) {
    super(message);
    this.name = "CryptoError";
    this.kind = kind;
  }
}

/**
 * Any decrypt / unwrap / open failure. Deliberately carries no detail about *which* check failed
 * beyond a coarse reason, so it cannot serve as a padding or format oracle.
 * lib/kms maps it to AWS `InvalidCiphertextException`.
 */
export class CiphertextError extends CryptoError {
  constructor(reason = "ciphertext is invalid") {
    super("InvalidCiphertext", reason);
    this.name = "CiphertextError";
  }
}

export function isCiphertextError(e: unknown): e is CiphertextError {
  return e instanceof CiphertextError;
}
