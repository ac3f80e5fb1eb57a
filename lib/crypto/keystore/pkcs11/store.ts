// The PKCS#11 root key store: the root key is a non-extractable AES-256 key on a token (an HSM;
// SoftHSM2 in tests). Wrapping and unwrapping run INSIDE the token with CKM_AES_GCM (C_Encrypt /
// C_Decrypt): the root key's bytes never reach this process.
// Wrapped blob = 0x02 | IV (12) | ciphertext | tag (16); the caller's AAD is GCM's AAD.
import { randomBytes } from "node:crypto";
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

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export class Pkcs11KeyStore implements KeyStore {
  readonly kind = "pkcs11";
  readonly #session: Pkcs11Session;
  readonly #keyLabel: string;
  readonly #description: KeyStoreDescription;

  private constructor(session: Pkcs11Session, keyLabel: string, description: KeyStoreDescription) {
    this.#session = session;
    this.#keyLabel = keyLabel;
    this.#description = description;
  }

  static async open(options: Pkcs11KeyStoreOptions): Promise<Pkcs11KeyStore> {
    const session = await Pkcs11Session.open(options);
    try {
      const key = await session.call<{ state: string; sensitive?: boolean; extractable?: boolean }>("rootKey", { label: options.keyLabel, create: options.create });
      if (key.state === "several") {
        throw new Error(`more than one secret key labelled "${options.keyLabel}" on the token; rename or remove the extra one`);
      }
      if (key.state === "absent") {
        throw new Error(`token "${options.tokenLabel}" has no key labelled "${options.keyLabel}" (KEYHOLD_PKCS11_KEY_LABEL); the root key cannot be recreated`);
      }
      if (!key.sensitive || key.extractable) {
        throw new Error(`the key "${options.keyLabel}" on token "${options.tokenLabel}" is extractable or not sensitive; Keyhold uses only a key that cannot leave the HSM`);
      }
      return new Pkcs11KeyStore(session, options.keyLabel, { kind: "pkcs11", module: options.module, tokenLabel: options.tokenLabel, keyLabel: options.keyLabel });
    } catch (e) {
      session.close();
      throw e;
    }
  }

  async wrap(material: Buffer, aad: Buffer): Promise<Buffer> {
    const iv = randomBytes(GCM_IV_BYTES);
    const sealed = await this.#session.call<Uint8Array>("seal", { label: this.#keyLabel, iv, plaintext: material, aad });
    return Buffer.concat([Buffer.from([WRAP_FORMAT_PKCS11]), iv, sealed]);
  }

  async unwrap(blob: Buffer, aad: Buffer): Promise<Buffer> {
    if (!(blob instanceof Uint8Array) || blob.length < 1 + GCM_IV_BYTES + GCM_TAG_BYTES || blob[0] !== WRAP_FORMAT_PKCS11) {
      throw new CiphertextError("wrapped key material is malformed");
    }
    const iv = Buffer.from(blob.subarray(1, 1 + GCM_IV_BYTES));
    const sealed = Buffer.from(blob.subarray(1 + GCM_IV_BYTES));
    try {
      return asBuffer(await this.#session.call<Uint8Array>("open", { label: this.#keyLabel, iv, sealed, aad }));
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
