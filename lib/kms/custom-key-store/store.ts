// Custom key store rows: lookup with AWS's errors, the token PIN wrapped by the
// root key store (bound to the store by the AAD), and the AWS list entry.
import { prisma, type CustomKeyStore } from "@/lib/db/client";
import { CustomKeyStoreInvalidStateException, CustomKeyStoreNotFoundException } from "@/lib/errors/custom-key-store";
import type { TokenCredentials } from "@/lib/hsm";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { messages } from "@/lib/errors/messages";

export const CONNECTION_STATES = ["CONNECTED", "CONNECTING", "DISCONNECTED", "DISCONNECTING", "FAILED"] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export const storePasswordAad = (storeId: string) => Buffer.from(`keyhold:custom-key-store-password:${storeId}`);

export async function wrapStorePassword(storeId: string, password: string): Promise<Uint8Array<ArrayBuffer>> {
  const store = await rootKeyStore();
  return new Uint8Array(await store.wrap(Buffer.from(password, "utf8"), storePasswordAad(storeId)));
}

async function unwrapStorePassword(storeId: string, wrapped: Uint8Array): Promise<string> {
  const store = await rootKeyStore();
  const plain = await store.unwrap(Buffer.from(wrapped), storePasswordAad(storeId));
  const pin = plain.toString("utf8");
  plain.fill(0);
  return pin;
}

/** The token label and PIN of a store, unwrapped only when a process has to log in. */
export function storeCredentials(store: CustomKeyStore): () => Promise<TokenCredentials> {
  return async () => ({ label: store.clusterId, pin: await unwrapStorePassword(store.id, store.passwordWrapped) });
}

export async function loadStore(id: string): Promise<CustomKeyStore> {
  const store = await prisma.customKeyStore.findUnique({ where: { id } });
  if (!store) throw new CustomKeyStoreNotFoundException(messages.storeNotFound(id));
  return store;
}

/** For CreateKey and GenerateRandom: the store must be connected. */
export function assertConnected(store: CustomKeyStore): void {
  if (store.connectionState !== "CONNECTED") {
    throw new CustomKeyStoreInvalidStateException(
      messages.storeNotConnected(store.id, store.connectionState),
    );
  }
}

export interface CustomKeyStoreEntry {
  CustomKeyStoreId: string;
  CustomKeyStoreName: string;
  CustomKeyStoreType: string;
  CloudHsmClusterId: string;
  TrustAnchorCertificate: string;
  ConnectionState: string;
  ConnectionErrorCode?: string;
  CreationDate: Date;
}

export function storeEntry(store: CustomKeyStore): CustomKeyStoreEntry {
  return {
    CustomKeyStoreId: store.id,
    CustomKeyStoreName: store.name,
    CustomKeyStoreType: store.storeType,
    CloudHsmClusterId: store.clusterId,
    TrustAnchorCertificate: store.trustAnchor,
    ConnectionState: store.connectionState,
    ...(store.connectionState === "FAILED" && store.connectionError ? { ConnectionErrorCode: store.connectionError } : {}),
    CreationDate: store.createdAt,
  };
}
