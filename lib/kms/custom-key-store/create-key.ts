// CreateKey in a custom key store: the checks AWS makes, and the clean-up of
// the HSM object when the key's row or its audit event cannot be written.
import type { CustomKeyStore } from "@/lib/db/client";
import { UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { afterRollback, currentTransaction } from "@/lib/db/transaction";
import { createHsmKey, destroyHsmKey } from "./hsm-key";
import { assertConnected, loadStore } from "./store";
import { messages } from "@/lib/errors/messages";

export async function customKeyStoreFor(
  origin: string,
  storeId: string | undefined,
  keySpec: string,
  keyUsage: string,
): Promise<CustomKeyStore | undefined> {
  if (origin !== "AWS_CLOUDHSM") {
    if (storeId) throw new ValidationException(messages.storeIdNeedsCloudHsmOrigin(origin));
    return undefined;
  }
  if (!storeId) throw new ValidationException(messages.cloudHsmOriginNeedsStoreId);
  if (keySpec !== "SYMMETRIC_DEFAULT" || keyUsage !== "ENCRYPT_DECRYPT") {
    throw new UnsupportedOperationException(
      messages.storeKeysSymmetricOnly,
    );
  }
  const store = await loadStore(storeId);
  assertConnected(store);
  return store;
}

/**
 * Generates the key inside the HSM for CreateKey. The object outlives the
 * database: if the call's transaction is rolled back (its row or its audit
 * event could not be written), the object is destroyed again, so a refused
 * CreateKey leaves no object in the token that no Keyhold key points to.
 * Outside a transaction nothing rolls back: the caller runs the returned
 * undo when its write fails.
 */
export async function createHsmKeyForCall(store: CustomKeyStore, keyId: string): Promise<() => Promise<void>> {
  await createHsmKey(store, keyId);
  const destroy = () =>
    destroyHsmKey(store.id, keyId).then(() => {}, (err: unknown) =>
      logger.error({ keyId, customKeyStoreId: store.id, err: (err as Error).name }, "could not destroy an orphaned HSM key"),
    );
  if (!currentTransaction()) return destroy;
  afterRollback(destroy);
  return async () => {};
}
