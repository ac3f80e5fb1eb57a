// ECDSA (NIST P-256/384/521, secp256k1) with DER signatures as AWS returns them, and ECDH
// (NIST curves only, as AWS). RAW messages go through node:crypto; DIGEST messages go through
// @noble/curves with prehash disabled, because node:crypto cannot sign or verify a precomputed
// digest for ECDSA.
import {
  createPublicKey,
  diffieHellman,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from "node:crypto";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { wipe } from "../bytes";
import { CryptoError } from "../errors";
import { NODE_CURVES, type EcSpec } from "../key-material";
import { algorithmsFor, signingHash, type MessageType, type SigningAlgorithm } from "../specs";
import { parsePkcs8, parseSpki, spkiDer } from "./der";
import { checkSigningInput } from "./signing-input";

export type { EcSpec };

const NOBLE = { ECC_NIST_P256: p256, ECC_NIST_P384: p384, ECC_NIST_P521: p521, ECC_SECG_P256K1: secp256k1 } as const;
const FIELD_BYTES = { ECC_NIST_P256: 32, ECC_NIST_P384: 48, ECC_NIST_P521: 66, ECC_SECG_P256K1: 32 } as const;

function checkEcKey(key: KeyObject, spec: EcSpec, err: "InvalidKeyMaterial" | "InvalidPublicKey"): void {
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== NODE_CURVES[spec]) {
    throw new CryptoError(err, `key is not an ${spec} key`);
  }
}

function jwkBytes(v: string | undefined, len: number): Buffer {
  const b = Buffer.from(v ?? "", "base64url");
  if (b.length > len) throw new CryptoError("InvalidKeyMaterial", "EC coordinate too long");
  return Buffer.concat([Buffer.alloc(len - b.length), b]);
}

export class EcPublicKey {
  readonly kind = "ec-public" as const;
  readonly #key: KeyObject;
  readonly #uncompressed: Buffer;

  constructor(readonly keySpec: EcSpec, publicKey: KeyObject | Uint8Array) {
    this.#key = publicKey instanceof Uint8Array ? parseSpki(publicKey) : publicKey;
    checkEcKey(this.#key, keySpec, "InvalidPublicKey");
    const jwk = this.#key.export({ format: "jwk" });
    const n = FIELD_BYTES[keySpec];
    this.#uncompressed = Buffer.concat([Buffer.from([4]), jwkBytes(jwk.x, n), jwkBytes(jwk.y, n)]);
  }

  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    checkSigningInput(this.keySpec, algorithm, message, messageType);
    if (messageType === "RAW") {
      try {
        return nodeVerify(signingHash(algorithm)!, message, { key: this.#key, dsaEncoding: "der" }, signature);
      } catch {
        return false;
      }
    }
    const curve = NOBLE[this.keySpec];
    try {
      // Accept only strict DER (as OpenSSL does on the RAW path): re-encoding must reproduce the input.
      const parsed = curve.Signature.fromBytes(signature, "der");
      if (!Buffer.from(parsed.toBytes("der")).equals(Buffer.from(signature))) return false;
      // lowS: false — AWS/OpenSSL accept both S values.
      return curve.verify(signature, message, this.#uncompressed, { prehash: false, format: "der", lowS: false });
    } catch {
      return false;
    }
  }

  publicKeyDer(): Buffer {
    return spkiDer(this.#key);
  }
}

export class EcKey {
  readonly kind = "ec" as const;
  readonly #key: KeyObject;
  readonly #public: EcPublicKey;

  constructor(readonly keySpec: EcSpec, material: Uint8Array) {
    this.#key = parsePkcs8(material);
    checkEcKey(this.#key, keySpec, "InvalidKeyMaterial");
    this.#public = new EcPublicKey(keySpec, createPublicKey(this.#key));
  }

  /** DER-encoded ECDSA signature. RAW: the message is hashed; DIGEST: the message is the hash. */
  sign(message: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): Buffer {
    checkSigningInput(this.keySpec, algorithm, message, messageType);
    if (messageType === "RAW") {
      return nodeSign(signingHash(algorithm)!, message, { key: this.#key, dsaEncoding: "der" });
    }
    const d = jwkBytes(this.#key.export({ format: "jwk" }).d, FIELD_BYTES[this.keySpec]);
    try {
      // extraEntropy: hedged RFC 6979 nonces (randomness on top of the deterministic derivation).
      const sig = NOBLE[this.keySpec].sign(message, d, { prehash: false, format: "der", lowS: false, extraEntropy: true });
      return Buffer.from(sig);
    } finally {
      wipe(d);
    }
  }

  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    return this.#public.verify(message, signature, algorithm, messageType);
  }

  /**
   * ECDH (KeyAgreementAlgorithm ECDH): the raw shared secret (x-coordinate) with a peer's DER
   * SubjectPublicKeyInfo on the same curve. The caller must run it through a KDF before use.
   */
  deriveSharedSecret(peerPublicKeyDer: Uint8Array): Buffer {
    if (!algorithmsFor(this.keySpec, "KEY_AGREEMENT").includes("ECDH")) {
      throw new CryptoError("IncompatibleAlgorithm", `${this.keySpec} does not support key agreement`);
    }
    const peer = parseSpki(peerPublicKeyDer);
    if (peer.asymmetricKeyType !== "ec" || peer.asymmetricKeyDetails?.namedCurve !== NODE_CURVES[this.keySpec]) {
      throw new CryptoError("InvalidPublicKey", `peer public key is not on the ${this.keySpec} curve`);
    }
    try {
      return diffieHellman({ privateKey: this.#key, publicKey: peer });
    } catch {
      throw new CryptoError("InvalidPublicKey", "peer public key is invalid");
    }
  }

  publicKey(): EcPublicKey {
    return this.#public;
  }

  publicKeyDer(): Buffer {
    return this.#public.publicKeyDer();
  }
}
