// CreateKey in a custom key store: the checks AWS makes, and the clean-up of
// the HSM object when the key's row cannot be written.
import type { CustomKeyStore } from "@/lib/db/client";
import { UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { destroyHsmKey } from "./hsm-key";
import { assertConnected, loadStore } from "./store";

export async function customKeyStoreFor(
  origin: string,
  storeId: string | undefined,
  keySpec: string,
  keyUsage: string,
): Promise<CustomKeyStore | undefined> {
  if (origin !== "AWS_CLOUDHSM") {
    if (storeId) throw new ValidationException(`CustomKeyStoreId requires Origin AWS_CLOUDHSM, not ${origin}.`);
    return undefined;
  }
  if (!storeId) throw new ValidationException("Origin AWS_CLOUDHSM requires a CustomKeyStoreId.");
  if (keySpec !== "SYMMETRIC_DEFAULT" || keyUsage !== "ENCRYPT_DECRYPT") {
    throw new UnsupportedOperationException(
      "A key in a custom key store must be a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT).",
    );
  }
  const store = await loadStore(storeId);
  assertConnected(store);
  return store;
}

/** Writes the key row; if that fails, the key just generated in the HSM is destroyed again. */
export async function insertKey<T>(storeId: string | undefined, keyId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (storeId) {
      await destroyHsmKey(storeId, keyId).catch((err: unknown) =>
        logger.error({ keyId, customKeyStoreId: storeId, err: (err as Error).name }, "could not destroy an orphaned HSM key"),
      );
    }
    throw e;
  }
}
