// KMS keys in a custom key store: an AES-256 key generated inside the store's
// token (labelled with the key ID) and used there with CKM_AES_GCM. Keyhold
// never sees the key bytes; the ciphertext blob has the usual format, so
// Decrypt finds the key from the header. The store's state is read from the
// database on every call: a store disconnected by any instance stops every one.
import { decryptSymmetricWith, encryptSymmetricWith, isCiphertextError, type EncryptionContext, type ExternalGcm } from "@/lib/crypto";
import type { CustomKeyStore, KmsKey } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";
import { InvalidCiphertextException, KMSInternalException, KMSInvalidStateException, isKmsError } from "@/lib/errors";
import {
  describeHsmError,
  destroyAesKey,
  disconnectToken,
  gcmOpen,
  gcmSeal,
  generateAesKey,
  isBadCiphertext,
  tokenRandom,
  withTokenSession,
} from "@/lib/hsm";
import { logger } from "@/lib/log";
import { kmsContext } from "../context";
import { storeCredentials } from "./store";
import { messages } from "@/lib/errors/messages";

/** HSM failures other than our own typed errors become KMSInternalException, never a stack trace. */
function internal(e: unknown, what: string): never {
  if (isKmsError(e)) throw e;
  logger.error({ err: describeHsmError(e) }, `HSM ${what} failed`);
  throw new KMSInternalException(messages.hsmFailed(what));
}

/** The store that holds `key`, which must be connected, else the key is unavailable (as AWS). */
async function connectedStoreOf(key: KmsKey): Promise<CustomKeyStore> {
  const store = key.customKeyStoreId ? await prisma.customKeyStore.findUnique({ where: { id: key.customKeyStoreId } }) : null;
  if (store?.connectionState === "CONNECTED") return store;
  if (store) disconnectToken(store.id);
  const ctx = await kmsContext();
  throw new KMSInvalidStateException(
    messages.storeKeyUnavailable(ctx.keyArn(key.id), key.customKeyStoreId ?? ""),
  );
}

function tokenGcm(store: CustomKeyStore, keyId: string): ExternalGcm {
  const creds = storeCredentials(store);
  return {
    seal: (iv, plaintext, aad) => withTokenSession(store.id, creds, (pool) => gcmSeal(pool, keyId, iv, plaintext, aad)),
    open: (iv, sealed, aad) => withTokenSession(store.id, creds, (pool) => gcmOpen(pool, keyId, iv, sealed, aad)),
  };
}

export async function hsmEncrypt(key: KmsKey, plaintext: Buffer, context: EncryptionContext | undefined): Promise<Buffer> {
  const store = await connectedStoreOf(key);
  try {
    return await encryptSymmetricWith(tokenGcm(store, key.id), key.id, key.currentVersion, plaintext, context);
  } catch (e) {
    return internal(e, "encrypt");
  }
}

export async function hsmDecrypt(key: KmsKey, blob: Buffer, context: EncryptionContext | undefined, invalid: string): Promise<Buffer> {
  const store = await connectedStoreOf(key);
  try {
    return await decryptSymmetricWith(tokenGcm(store, key.id), blob, context);
  } catch (e) {
    if (isCiphertextError(e) || isBadCiphertext(e)) throw new InvalidCiphertextException(invalid);
    return internal(e, "decrypt");
  }
}

/** Generates the key inside the token (CreateKey). */
export async function createHsmKey(store: CustomKeyStore, keyId: string): Promise<void> {
  try {
    await withTokenSession(store.id, storeCredentials(store), (pool) => generateAesKey(pool, keyId));
  } catch (e) {
    internal(e, "generate a key");
  }
}

/**
 * Destroys the key object in the token (the deletion sweeper, or a CreateKey
 * whose row could not be written). With the store disconnected the object
 * stays, as in AWS: the key is gone from Keyhold, its material orphaned in the HSM.
 */
export async function destroyHsmKey(storeId: string, keyId: string): Promise<boolean> {
  const store = await prisma.customKeyStore.findUnique({ where: { id: storeId } });
  if (store?.connectionState !== "CONNECTED") {
    logger.warn({ keyId, customKeyStoreId: storeId }, "custom key store not connected: the key object stays in the HSM");
    return false;
  }
  const n = await withTokenSession(store.id, storeCredentials(store), (pool) => destroyAesKey(pool, keyId));
  logger.info({ keyId, customKeyStoreId: storeId, objects: n }, "key object destroyed in the HSM");
  return n > 0;
}

/** GenerateRandom with CustomKeyStoreId: C_GenerateRandom on the store's token. */
export async function hsmRandom(store: CustomKeyStore, bytes: number): Promise<Buffer> {
  try {
    return await withTokenSession(store.id, storeCredentials(store), (pool) => tokenRandom(pool, bytes));
  } catch (e) {
    return internal(e, "generate random bytes");
  }
}
