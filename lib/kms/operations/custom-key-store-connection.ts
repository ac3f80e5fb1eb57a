// ConnectCustomKeyStore and DisconnectCustomKeyStore. The state lives in the
// database (every instance and worker agrees); the login happens here and, in
// other processes, on first use. As AWS, a connection attempt that fails still
// answers success: the store shows ConnectionState FAILED and its
// ConnectionErrorCode (INVALID_CREDENTIALS, CLUSTER_NOT_FOUND, …).
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type CustomKeyStore } from "@/lib/db/client";
import { CustomKeyStoreInvalidStateException } from "@/lib/errors/custom-key-store";
import { CloudHsmClusterNotFoundException } from "@/lib/errors/custom-key-store";
import { connectToken, disconnectToken, isHsmTimeout } from "@/lib/hsm";
import { authorizeAccountAction } from "../authorize";
import { loadStore, storeCredentials } from "../custom-key-store/store";
import { assertTokenReady } from "../custom-key-store/token-check";
import { str, validateRequest } from "../validate";
import { messages } from "@/lib/errors/messages";

const idSchema = z.object({ CustomKeyStoreId: str(1, 64) });

/** Everything ConnectCustomKeyStore checks before it logs in (an approval's dry run stops here: no login). */
export async function checkConnectCustomKeyStore(caller: Principal, input: unknown): Promise<CustomKeyStore> {
  authorizeAccountAction(caller, "kms:ConnectCustomKeyStore");
  const req = validateRequest(idSchema, input);
  const store = await loadStore(req.CustomKeyStoreId);
  if (store.connectionState === "CONNECTING" || store.connectionState === "DISCONNECTING") {
    throw new CustomKeyStoreInvalidStateException(messages.storeBusy(store.id, store.connectionState));
  }
  return store;
}

export async function connectCustomKeyStore(caller: Principal, input: unknown): Promise<Record<string, never>> {
  const store = await checkConnectCustomKeyStore(caller, input);
  if (store.connectionState === "CONNECTED") return {};
  let error: string | undefined;
  try {
    await assertTokenReady(store.clusterId);
    error = await connectToken(store.id, await storeCredentials(store)());
  } catch (e) {
    // A token that does not answer is the store's NETWORK_ERRORS, as when AWS cannot reach the cluster.
    if (isHsmTimeout(e)) error = "NETWORK_ERRORS";
    else if (e instanceof CloudHsmClusterNotFoundException) error = "CLUSTER_NOT_FOUND";
    else throw e;
  }
  await prisma.customKeyStore.update({
    where: { id: store.id },
    data: { connectionState: error ? "FAILED" : "CONNECTED", connectionError: error ?? null },
  });
  return {};
}

/** Everything DisconnectCustomKeyStore checks before it closes sessions (an approval's dry run stops here). */
export async function checkDisconnectCustomKeyStore(caller: Principal, input: unknown): Promise<CustomKeyStore> {
  authorizeAccountAction(caller, "kms:DisconnectCustomKeyStore");
  const req = validateRequest(idSchema, input);
  const store = await loadStore(req.CustomKeyStoreId);
  if (store.connectionState === "CONNECTING") {
    throw new CustomKeyStoreInvalidStateException(messages.storeBusy(store.id, "CONNECTING"));
  }
  return store;
}

export async function disconnectCustomKeyStore(caller: Principal, input: unknown): Promise<Record<string, never>> {
  const store = await checkDisconnectCustomKeyStore(caller, input);
  await prisma.customKeyStore.update({ where: { id: store.id }, data: { connectionState: "DISCONNECTED", connectionError: null } });
  // Other processes close their sessions when they next find the store disconnected.
  disconnectToken(store.id);
  return {};
}
