// ML-DSA (FIPS 204) via @noble/post-quantum; node 20's crypto has no ML-DSA.
// Material is the 32-byte seed ξ (keys are re-derived with ML-DSA.KeyGen_internal).
// ML_DSA_SHAKE_256 with MessageType RAW = pure ML-DSA with an empty context (hedged signing);
// MessageType EXTERNAL_MU = the 64-byte μ of FIPS 204 §6.2 (Algorithm 7 line 6), as AWS defines it.
// Public keys are SubjectPublicKeyInfo with id-ml-dsa-44/65/87 (2.16.840.1.101.3.4.3.17/18/19)
// and absent parameters (RFC 9881), the format AWS GetPublicKey returns.
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
import { wipe } from "../bytes";
import { CryptoError } from "../errors";
import { ML_DSA_SEED_BYTES } from "../key-material";
import type { MessageType, SigningAlgorithm } from "../specs";
import { checkSigningInput } from "./signing-input";

export type MlDsaSpec = "ML_DSA_44" | "ML_DSA_65" | "ML_DSA_87";

const PARAMS = {
  ML_DSA_44: { impl: ml_dsa44, oidLast: 0x11, publicKeyBytes: 1312 },
  ML_DSA_65: { impl: ml_dsa65, oidLast: 0x12, publicKeyBytes: 1952 },
  ML_DSA_87: { impl: ml_dsa87, oidLast: 0x13, publicKeyBytes: 2592 },
} as const;

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);

/** SPKI prefix (everything before the raw public key) for a parameter set. */
function spkiPrefix(spec: MlDsaSpec): Buffer {
  const p = PARAMS[spec];
  const algId = tlv(0x30, Buffer.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, p.oidLast]));
  const bitString = tlv(0x03, Buffer.alloc(p.publicKeyBytes + 1));
  const full = tlv(0x30, Buffer.concat([algId, bitString]));
  return full.subarray(0, full.length - p.publicKeyBytes);
}

export function mlDsaSpki(spec: MlDsaSpec, publicKey: Uint8Array): Buffer {
  return Buffer.concat([spkiPrefix(spec), publicKey]);
}

/** Inverse of mlDsaSpki: the structure is fixed per parameter set, so an exact prefix match is a full parse. */
export function parseMlDsaSpki(spec: MlDsaSpec, der: Uint8Array): Uint8Array {
  const prefix = spkiPrefix(spec);
  const b = Buffer.from(der);
  if (b.length !== prefix.length + PARAMS[spec].publicKeyBytes || !b.subarray(0, prefix.length).equals(prefix)) {
    throw new CryptoError("InvalidPublicKey", `public key is not an ${spec} SubjectPublicKeyInfo`);
  }
  return new Uint8Array(b.subarray(prefix.length));
}

function verifyWith(spec: MlDsaSpec, pk: Uint8Array, message: Uint8Array, sig: Uint8Array, mt: MessageType): boolean {
  const impl = PARAMS[spec].impl;
  try {
    return mt === "EXTERNAL_MU"
      ? impl.internal.verify(sig, message, pk, { externalMu: true })
      : impl.verify(sig, message, pk);
  } catch {
    return false;
  }
}

export class MlDsaPublicKey {
  readonly kind = "ml-dsa-public" as const;
  readonly #pk: Uint8Array;

  constructor(readonly keySpec: MlDsaSpec, spki: Uint8Array) {
    this.#pk = parseMlDsaSpki(keySpec, spki);
  }

  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    checkSigningInput(this.keySpec, algorithm, message, messageType);
    return verifyWith(this.keySpec, this.#pk, message, signature, messageType);
  }

  publicKeyDer(): Buffer {
    return mlDsaSpki(this.keySpec, this.#pk);
  }
}

export class MlDsaKey {
  readonly kind = "ml-dsa" as const;
  readonly #sk: Uint8Array;
  readonly #pk: Uint8Array;

  /** `material` is the 32-byte seed; it is not retained (the expanded key is). */
  constructor(readonly keySpec: MlDsaSpec, material: Uint8Array) {
    if (!(keySpec in PARAMS)) throw new CryptoError("InvalidKeyMaterial", "not an ML-DSA key spec");
    if (material.length !== ML_DSA_SEED_BYTES) {
      throw new CryptoError("InvalidKeyMaterial", `${keySpec} key material must be a 32-byte seed`);
    }
    const { secretKey, publicKey } = PARAMS[keySpec].impl.keygen(Uint8Array.from(material));
    this.#sk = secretKey;
    this.#pk = publicKey;
  }

  sign(message: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): Buffer {
    checkSigningInput(this.keySpec, algorithm, message, messageType);
    const impl = PARAMS[this.keySpec].impl;
    const sig =
      messageType === "EXTERNAL_MU" ? impl.internal.sign(message, this.#sk, { externalMu: true }) : impl.sign(message, this.#sk);
    return Buffer.from(sig);
  }

  verify(message: Uint8Array, signature: Uint8Array, algorithm: SigningAlgorithm, messageType: MessageType): boolean {
    checkSigningInput(this.keySpec, algorithm, message, messageType);
    return verifyWith(this.keySpec, this.#pk, message, signature, messageType);
  }

  publicKeyDer(): Buffer {
    return mlDsaSpki(this.keySpec, this.#pk);
  }

  /** Best-effort wipe of the expanded secret key when the handle is dropped from a cache. */
  destroy(): void {
    wipe(this.#sk);
  }
}
