// A small PKCS#11 session helper for the root key store: load the module, find the token by label,
// open one read-write session and log in as the user. pkcs11js calls are synchronous, so on Node's one
// thread each C_*Init/C_* pair runs uninterrupted on the one session.
import * as pkcs11js from "pkcs11js";

export interface Pkcs11Options {
  module: string;
  tokenLabel: string;
  pin: string;
}

export class Pkcs11Session {
  readonly lib: pkcs11js.PKCS11;
  readonly session: Buffer;
  #closed = false;

  private constructor(lib: pkcs11js.PKCS11, session: Buffer) {
    this.lib = lib;
    this.session = session;
  }

  static open({ module, tokenLabel, pin }: Pkcs11Options): Pkcs11Session {
    const lib = new pkcs11js.PKCS11();
    try {
      lib.load(module);
    } catch (e) {
      throw new Error(`could not load the PKCS#11 module ${module} (KEYHOLD_PKCS11_MODULE): ${(e as Error).message}`);
    }
    try {
      lib.C_Initialize();
    } catch (e) {
      if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test(String((e as Error).message))) throw e;
    }
    try {
      const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === tokenLabel);
      if (!slot) throw new Error(`no PKCS#11 token labelled "${tokenLabel}" in ${module} (KEYHOLD_PKCS11_TOKEN_LABEL)`);
      const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        lib.C_Login(session, pkcs11js.CKU_USER, pin);
      } catch (e) {
        if (!/CKR_USER_ALREADY_LOGGED_IN/.test(String((e as Error).message))) {
          // Never the PIN itself: only PKCS#11's return code.
          throw new Error(`PKCS#11 login to token "${tokenLabel}" failed: ${/CKR_\w+/.exec(String((e as Error).message))?.[0] ?? "error"}`);
        }
      }
      return new Pkcs11Session(lib, session);
    } catch (e) {
      lib.close();
      throw e;
    }
  }

  /** Handle of the one secret key with this label, or undefined. */
  findSecretKey(label: string): Buffer | undefined {
    const { lib, session } = this;
    lib.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_LABEL, value: label },
    ]);
    try {
      const found = lib.C_FindObjects(session, 2);
      if (found.length > 1) throw new Error(`more than one secret key labelled "${label}" on the token; rename or remove the extra one`);
      return found[0];
    } finally {
      lib.C_FindObjectsFinal(session);
    }
  }

  /** A persistent AES-256 key that never leaves the token: sensitive, not extractable. */
  generateAesKey(label: string): Buffer {
    return this.lib.C_GenerateKey(this.session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_WRAP, value: false },
      { type: pkcs11js.CKA_UNWRAP, value: false },
    ]);
  }

  /** CKA_SENSITIVE and CKA_EXTRACTABLE as the token reports them. */
  keyProtection(key: Buffer): { sensitive: boolean; extractable: boolean } {
    const attrs = this.lib.C_GetAttributeValue(this.session, key, [{ type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE }]);
    const flag = (i: number) => Buffer.isBuffer(attrs[i].value) && (attrs[i].value as Buffer)[0] === 1;
    return { sensitive: flag(0), extractable: flag(1) };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.lib.C_Logout(this.session);
      this.lib.C_CloseSession(this.session);
    } catch {
      // the token may already be gone; nothing to release then
    }
    this.lib.close();
  }
}
