// The PKCS#11 root key store: the root key is a non-extractable AES-256 key on a token (an HSM;
// SoftHSM2 in tests). Wrapping and unwrapping run INSIDE the token with CKM_AES_GCM (C_Encrypt /
// C_Decrypt): the root key's bytes never reach this process.
// Wrapped blob = 0x02 | IV (12) | ciphertext | tag (16); the caller's AAD is GCM's AAD.
import { randomBytes } from "node:crypto";
import * as pkcs11js from "pkcs11js";
import { GCM_IV_BYTES, GCM_TAG_BYTES } from "../../aes-gcm";
import { CiphertextError } from "../../errors";
import type { KeyStore, KeyStoreDescription } from "../types";
import { Pkcs11Session, type Pkcs11Options } from "./session";

const WRAP_FORMAT_PKCS11 = 0x02;
export const DEFAULT_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so";
export const DEFAULT_PKCS11_KEY_LABEL = "keyhold-root-key";

export interface Pkcs11KeyStoreOptions extends Pkcs11Options {
  keyLabel: string;
  /** Create the key when the token has none with this label (init, migration); else refuse. */
  create: boolean;
}

const gcm = (iv: Buffer, aad: Buffer): pkcs11js.Mechanism => ({
  mechanism: pkcs11js.CKM_AES_GCM,
  parameter: { type: pkcs11js.CK_PARAMS_AES_GCM, iv, aad, ivBits: GCM_IV_BYTES * 8, tagBits: GCM_TAG_BYTES * 8 } as pkcs11js.AesGCM,
});

export class Pkcs11KeyStore implements KeyStore {
  readonly kind = "pkcs11";
  readonly #session: Pkcs11Session;
  readonly #key: Buffer;
  readonly #description: KeyStoreDescription;

  private constructor(session: Pkcs11Session, key: Buffer, description: KeyStoreDescription) {
    this.#session = session;
    this.#key = key;
    this.#description = description;
  }

  static open(options: Pkcs11KeyStoreOptions): Pkcs11KeyStore {
    const session = Pkcs11Session.open(options);
    try {
      let key = session.findSecretKey(options.keyLabel);
      if (!key) {
        if (!options.create) {
          throw new Error(`token "${options.tokenLabel}" has no key labelled "${options.keyLabel}" (KEYHOLD_PKCS11_KEY_LABEL); the root key cannot be recreated`);
        }
        key = session.generateAesKey(options.keyLabel);
      }
      const { sensitive, extractable } = session.keyProtection(key);
      if (!sensitive || extractable) {
        throw new Error(`the key "${options.keyLabel}" on token "${options.tokenLabel}" is extractable or not sensitive; Keyhold uses only a key that cannot leave the HSM`);
      }
      return new Pkcs11KeyStore(session, key, { kind: "pkcs11", module: options.module, tokenLabel: options.tokenLabel, keyLabel: options.keyLabel });
    } catch (e) {
      session.close();
      throw e;
    }
  }

  async wrap(material: Buffer, aad: Buffer): Promise<Buffer> {
    const iv = randomBytes(GCM_IV_BYTES);
    const { lib, session } = this.#session;
    lib.C_EncryptInit(session, gcm(iv, aad), this.#key);
    const sealed = lib.C_Encrypt(session, material, Buffer.alloc(material.length + GCM_TAG_BYTES));
    return Buffer.concat([Buffer.from([WRAP_FORMAT_PKCS11]), iv, sealed]);
  }

  async unwrap(blob: Buffer, aad: Buffer): Promise<Buffer> {
    if (!(blob instanceof Uint8Array) || blob.length < 1 + GCM_IV_BYTES + GCM_TAG_BYTES || blob[0] !== WRAP_FORMAT_PKCS11) {
      throw new CiphertextError("wrapped key material is malformed");
    }
    const { lib, session } = this.#session;
    const body = Buffer.from(blob.subarray(1 + GCM_IV_BYTES));
    lib.C_DecryptInit(session, gcm(Buffer.from(blob.subarray(1, 1 + GCM_IV_BYTES)), aad), this.#key);
    try {
      return Buffer.from(lib.C_Decrypt(session, body, Buffer.alloc(body.length)));
    } catch (e) {
      // A failed tag check is CKR_ENCRYPTED_DATA_INVALID (or _LEN_RANGE); SoftHSM2 answers
      // CKR_GENERAL_ERROR for it. Anything else is the device.
      if (/CKR_ENCRYPTED_DATA_(INVALID|LEN_RANGE)|CKR_GENERAL_ERROR/.test(String((e as Error).message))) throw new CiphertextError("wrapped key material does not verify");
      throw e;
    }
  }

  describe(): KeyStoreDescription {
    return { ...this.#description };
  }

  close(): void {
    this.#session.close();
  }
}
