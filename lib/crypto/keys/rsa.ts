// RSA keys: RSAES-OAEP (MGF1 with the same hash, empty label, as AWS) and RSASSA-PSS
// (sLen = hLen) / PKCS#1 v1.5 signatures over RAW messages or precomputed DIGESTs.
import {
  constants,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from "node:crypto";
import { CiphertextError, CryptoError } from "../errors";
import { RSA_BITS, type RsaSpec } from "../key-material";
import {
  algorithmsFor,
  RSA_MAX_PLAINTEXT_BYTES,
  signingHash,
  type EncryptionAlgorithm,
  type MessageType,
  type SigningAlgorithm,
} from "../specs";
import { parsePkcs8, parseSpki, spkiDer } from "./der";
import { pkcs1SignDigest, pkcs1VerifyDigest, pssSignDigest, pssVerifyDigest } from "./rsa-digest";
import { checkSigningInput } from "./signing-input";

export type { RsaSpec };

const OAEP_HASH = { RSAES_OAEP_SHA_1: "sha1", RSAES_OAEP_SHA_256: "sha256" } as const;
type OaepAlgorithm = keyof typeof OAEP_HASH;

function checkRsaKey(key: KeyObject, spec: RsaSpec, err: "InvalidKeyMaterial" | "InvalidPublicKey"): void {
  if (key.asymmetricKeyType !== "rsa" || key.asymmetricKeyDetails?.modulusLength !== RSA_BITS[spec]) {
    throw new CryptoError(err, `key is not an ${spec} key`);
  }
}

function oaepAlgorithm(spec: RsaSpec, algorithm: EncryptionAlgorithm): OaepAlgorithm {
  if (algorithm === "SYMMETRIC_DEFAULT" || !algorithmsFor(spec, "ENCRYPT_DECRYPT").includes(algorithm)) {
    throw new CryptoError("IncompatibleAlgorithm", `${algorithm} is not valid for ${spec}`);
  }
  return algorithm;
}

type RsaHash = "sha256" | "sha384" | "sha512";
const isPss = (a: SigningAlgorithm) => a.startsWith("RSASSA_PSS_");

/** The public half: encrypt and verify. Also what an outside party can do with GetPublicKey. */
export class RsaPublicKey {
  readonly kind = "rsa-public" as const;
  readonly #key: KeyObject;
  constructor(readonly keySpec: RsaSpec, publicKey: KeyObject | Uint8Array) {
    this.#key = publicKey instanceof Uint8Array ? parseSpki(publicKey) : publicKey;
    checkRsaKey(this.#key, keySpec, "InvalidPublicKey");
  }

  encrypt(plaintext: Uint8Array, algorithm: EncryptionAlgorithm): Buffer {
    const alg = oaepAlgorithm(this.keySpec, algorithm);
    if (plaintext.length > RSA_MAX_PLAINTEXT_BYTES[this.keySpec][alg]) {
      throw new CryptoError("InvalidInput", `plaintext too long for ${this.keySpec} with ${alg}`);
    }
    return publicEncrypt({ key: this.#key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg] }, plaintext);
  }

  /** True iff the signature is valid. Throws CryptoError only for invalid arguments. */
  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    checkSigningInput(this.keySpec, algorithm, message, messageType);
    const hash = signingHash(algorithm) as RsaHash;
    if (messageType === "DIGEST") {
      return isPss(algorithm)
        ? pssVerifyDigest(this.#key, hash, message, signature)
        : pkcs1VerifyDigest(this.#key, hash, message, signature);
    }
    try {
      return nodeVerify(hash, message, this.#padding(algorithm, hash), signature);
    } catch {
      return false;
    }
  }

  #padding(algorithm: SigningAlgorithm, hash: RsaHash) {
    return isPss(algorithm)
      ? { key: this.#key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: { sha256: 32, sha384: 48, sha512: 64 }[hash] }
      : { key: this.#key, padding: constants.RSA_PKCS1_PADDING };
  }

  publicKeyDer(): Buffer {
    return spkiDer(this.#key);
  }
}

/** The private key handle (from PKCS#8 material). The material buffer is not retained. */
export class RsaKey {
  readonly kind = "rsa" as const;
  readonly #key: KeyObject;
  readonly #public: RsaPublicKey;

  constructor(readonly keySpec: RsaSpec, material: Uint8Array) {
    this.#key = parsePkcs8(material);
    checkRsaKey(this.#key, keySpec, "InvalidKeyMaterial");
    this.#public = new RsaPublicKey(keySpec, createPublicKey(this.#key));
  }

  encrypt(plaintext: Uint8Array, algorithm: EncryptionAlgorithm): Buffer {
    return this.#public.encrypt(plaintext, algorithm);
  }

  /** OAEP decryption; every failure is the same CiphertextError (no padding oracle detail). */
  decrypt(ciphertext: Uint8Array, algorithm: EncryptionAlgorithm): Buffer {
    const alg = oaepAlgorithm(this.keySpec, algorithm);
    try {
      return privateDecrypt({ key: this.#key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg] }, ciphertext);
    } catch {
      throw new CiphertextError();
    }
  }

  sign(message: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): Buffer {
    checkSigningInput(this.keySpec, algorithm, message, messageType);
    const hash = signingHash(algorithm) as RsaHash;
    if (messageType === "DIGEST") {
      return isPss(algorithm) ? pssSignDigest(this.#key, hash, message) : pkcs1SignDigest(this.#key, hash, message);
    }
    return isPss(algorithm)
      ? nodeSign(hash, message, { key: this.#key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: { sha256: 32, sha384: 48, sha512: 64 }[hash] })
      : nodeSign(hash, message, { key: this.#key, padding: constants.RSA_PKCS1_PADDING });
  }

  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    return this.#public.verify(message, signature, algorithm, messageType);
  }

  publicKey(): RsaPublicKey {
    return this.#public;
  }

  publicKeyDer(): Buffer {
    return this.#public.publicKeyDer();
  }
}
