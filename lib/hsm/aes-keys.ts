// AES-256 keys that live only inside a token: generated there (sensitive,
// never extractable), found by their label (the KMS key ID), used for
// AES-GCM there, destroyed there.
import pkcs11js from "pkcs11js";
import { HsmError } from "./errors";
import type { Handle, Pkcs11 } from "./module";
import { pkcs11 } from "./module";
import type { SessionPool } from "./session-pool";

const GCM_TAG_BITS = 128;

/** The template of a key that can encrypt and decrypt inside the token and never leave it. */
function aesKeyTemplate(label: string): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_MODIFIABLE, value: false },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: Buffer.from(label, "utf8") },
    { type: pkcs11js.CKA_ENCRYPT, value: true },
    { type: pkcs11js.CKA_DECRYPT, value: true },
    { type: pkcs11js.CKA_WRAP, value: false },
    { type: pkcs11js.CKA_UNWRAP, value: false },
    { type: pkcs11js.CKA_SIGN, value: false },
    { type: pkcs11js.CKA_VERIFY, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
  ];
}

export async function generateAesKey(session: Handle, label: string): Promise<void> {
  const { module } = pkcs11();
  await module.C_GenerateKeyAsync(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, aesKeyTemplate(label));
}

function findByLabel(module: Pkcs11, session: Handle, label: string): Handle[] {
  module.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_LABEL, value: label },
  ]);
  try {
    return module.C_FindObjects(session, 4);
  } finally {
    module.C_FindObjectsFinal(session);
  }
}

/** The handle of the key labelled `label`, remembered per login. */
export function keyHandle(pool: SessionPool, session: Handle, label: string): Handle {
  const known = pool.keyHandles.get(label);
  if (known) return known;
  const found = findByLabel(pkcs11().module, session, label);
  if (found.length !== 1) {
    throw new HsmError("INTERNAL_ERROR", found.length ? `Several keys in the token carry the label ${label}.` : `No key labelled ${label} is in the token.`);
  }
  pool.keyHandles.set(label, found[0]!);
  return found[0]!;
}

const gcm = (iv: Buffer, aad: Buffer) => ({
  mechanism: pkcs11js.CKM_AES_GCM,
  parameter: { type: pkcs11js.CK_PARAMS_AES_GCM, iv, aad, ivBits: iv.length * 8, tagBits: GCM_TAG_BITS },
});

/** AES-GCM inside the token: returns ciphertext || 16-byte tag. Runs on a worker thread. */
export async function gcmSeal(pool: SessionPool, session: Handle, label: string, iv: Buffer, plaintext: Buffer, aad: Buffer): Promise<Buffer> {
  const { module } = pkcs11();
  module.C_EncryptInit(session, gcm(iv, aad), keyHandle(pool, session, label));
  return module.C_EncryptAsync(session, plaintext, Buffer.alloc(plaintext.length + GCM_TAG_BITS / 8));
}

/** Inverse of gcmSeal; a tag that does not verify throws (see isBadCiphertext). */
export async function gcmOpen(pool: SessionPool, session: Handle, label: string, iv: Buffer, sealed: Buffer, aad: Buffer): Promise<Buffer> {
  const { module } = pkcs11();
  module.C_DecryptInit(session, gcm(iv, aad), keyHandle(pool, session, label));
  return module.C_DecryptAsync(session, sealed, Buffer.alloc(sealed.length));
}

/** Destroys every key object labelled `label`; how many there were. */
export function destroyAesKey(pool: SessionPool, session: Handle, label: string): number {
  const { module } = pkcs11();
  pool.keyHandles.delete(label);
  const found = findByLabel(module, session, label);
  for (const handle of found) module.C_DestroyObject(session, handle);
  return found.length;
}

export function tokenRandom(session: Handle, bytes: number): Buffer {
  return pkcs11().module.C_GenerateRandom(session, Buffer.alloc(bytes));
}
