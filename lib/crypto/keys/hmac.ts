// HMAC keys (GenerateMac / VerifyMac). Verification is constant-time over the full MAC length;
// truncated MACs are rejected, as in AWS.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { CryptoError } from "../errors";
import { algorithmsFor, HMAC_KEY_BYTES, MAC_INFO, MAX_RAW_MESSAGE_BYTES, type MacAlgorithm } from "../specs";

export type HmacSpec = keyof typeof HMAC_KEY_BYTES;

export class HmacKey {
  readonly kind = "hmac" as const;
  readonly #key: KeyObject;

  /** Material may be any length in AWS's range for the spec (imported keys); it is copied. */
  constructor(readonly keySpec: HmacSpec, material: Uint8Array) {
    const range = HMAC_KEY_BYTES[keySpec];
    if (!range || material.length < range.min || material.length > range.max) {
      throw new CryptoError("InvalidKeyMaterial", `${keySpec} key material must be ${range?.min}–${range?.max} bytes`);
    }
    this.#key = createSecretKey(material);
  }

  #check(message: Uint8Array, algorithm: MacAlgorithm): void {
    if (!algorithmsFor(this.keySpec, "GENERATE_VERIFY_MAC").includes(algorithm)) {
      throw new CryptoError("IncompatibleAlgorithm", `${algorithm} is not valid for ${this.keySpec}`);
    }
    if (!(message instanceof Uint8Array) || message.length > MAX_RAW_MESSAGE_BYTES) {
      throw new CryptoError("InvalidInput", `message must be at most ${MAX_RAW_MESSAGE_BYTES} bytes`);
    }
  }

  generateMac(message: Uint8Array, algorithm: MacAlgorithm): Buffer {
    this.#check(message, algorithm);
    return createHmac(MAC_INFO[algorithm].hash, this.#key).update(message).digest();
  }

  verifyMac(message: Uint8Array, mac: Uint8Array, algorithm: MacAlgorithm): boolean {
    const expected = this.generateMac(message, algorithm);
    return mac.length === expected.length && timingSafeEqual(expected, mac);
  }
}
