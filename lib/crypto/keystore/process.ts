// The process's root key store and plaintext-material cache.
import { config } from "@/lib/config";
import { MaterialCache } from "../material-cache";
import { openRootKeyStore } from "./open";
import { ShamirKeyStore } from "./shamir";
import type { KeyStore } from "./types";

const g = globalThis as unknown as { keyholdKeyStore?: Promise<KeyStore>; keyholdMaterialCache?: MaterialCache };

/** The root key store (local, shamir or pkcs11: see open.ts); loaded once per process. */
export function rootKeyStore(): Promise<KeyStore> {
  return (g.keyholdKeyStore ??= openRootKeyStore(config()).catch((e) => {
    g.keyholdKeyStore = undefined; // let a later call retry after the operator fixes the file
    throw e;
  }));
}

/** The Shamir store when the process uses one (unseal, seal, rekey), else undefined. */
export async function sealableKeyStore(): Promise<ShamirKeyStore | undefined> {
  const store = await rootKeyStore();
  return store instanceof ShamirKeyStore ? store : undefined;
}

export function materialCache(): MaterialCache {
  const cfg = config();
  return (g.keyholdMaterialCache ??= new MaterialCache({
    maxEntries: cfg.keyCacheSize,
    ttlMs: cfg.keyCacheTtlSeconds * 1000,
  }));
}

/** Forgets the loaded store (after a migration replaced it); the next call opens the recorded one. */
export function resetRootKeyStore(): void {
  const previous = g.keyholdKeyStore;
  g.keyholdKeyStore = undefined;
  g.keyholdMaterialCache?.clear();
  void previous?.then((s) => (s as { close?: () => void }).close?.()).catch(() => {});
}
