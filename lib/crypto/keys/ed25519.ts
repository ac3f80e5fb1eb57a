// Ed25519 (ED25519_SHA_512, RAW, via node:crypto) and Ed25519ph (ED25519_PH_SHA_512, DIGEST,
// via @noble/curves since node:crypto has no Ed25519ph). As AWS documents, for
// ED25519_PH_SHA_512 the 64-byte DIGEST message is hashed again with SHA-512 as the Ed25519ph
// pre-hash step (FIPS 186-5 §7.8.1), with an empty context.
import { createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from "node:crypto";
import { ed25519ph } from "@noble/curves/ed25519.js";
import { wipe } from "../bytes";
import { CryptoError } from "../errors";
import type { MessageType, SigningAlgorithm } from "../specs";
import { parsePkcs8, parseSpki, spkiDer } from "./der";
import { checkSigningInput } from "./signing-input";

const SPEC = "ECC_NIST_EDWARDS25519" as const;

function checkEd(key: KeyObject, err: "InvalidKeyMaterial" | "InvalidPublicKey"): void {
  if (key.asymmetricKeyType !== "ed25519") throw new CryptoError(err, `key is not an ${SPEC} key`);
}

export class Ed25519PublicKey {
  readonly kind = "ed25519-public" as const;
  readonly keySpec = SPEC;
  readonly #key: KeyObject;
  readonly #raw: Buffer;

  constructor(publicKey: KeyObject | Uint8Array) {
    this.#key = publicKey instanceof Uint8Array ? parseSpki(publicKey) : publicKey;
    checkEd(this.#key, "InvalidPublicKey");
    this.#raw = Buffer.from(this.#key.export({ format: "jwk" }).x ?? "", "base64url");
  }

  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    checkSigningInput(SPEC, algorithm, message, messageType);
    try {
      if (algorithm === "ED25519_SHA_512") return nodeVerify(null, message, this.#key, signature);
      // zip215: false → strict RFC 8032 / FIPS 186-5 verification, matching OpenSSL on the RAW path.
      return ed25519ph.verify(signature, message, this.#raw, { zip215: false });
    } catch {
      return false;
    }
  }

  publicKeyDer(): Buffer {
    return spkiDer(this.#key);
  }
}

export class Ed25519Key {
  readonly kind = "ed25519" as const;
  readonly keySpec = SPEC;
  readonly #key: KeyObject;
  readonly #public: Ed25519PublicKey;

  constructor(material: Uint8Array) {
    this.#key = parsePkcs8(material);
    checkEd(this.#key, "InvalidKeyMaterial");
    this.#public = new Ed25519PublicKey(createPublicKey(this.#key));
  }

  sign(message: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): Buffer {
    checkSigningInput(SPEC, algorithm, message, messageType);
    if (algorithm === "ED25519_SHA_512") return nodeSign(null, message, this.#key);
    const seed = Buffer.from(this.#key.export({ format: "jwk" }).d ?? "", "base64url");
    try {
      return Buffer.from(ed25519ph.sign(message, seed));
    } finally {
      wipe(seed);
    }
  }

  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    return this.#public.verify(message, signature, algorithm, messageType);
  }

  publicKey(): Ed25519PublicKey {
    return this.#public;
  }

  publicKeyDer(): Buffer {
    return this.#public.publicKeyDer();
  }
}
