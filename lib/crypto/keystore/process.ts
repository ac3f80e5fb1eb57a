// The process's root key store and plaintext-material cache.
import { config } from "@/lib/config";
import { MaterialCache } from "../material-cache";
import { loadLocalKeyStore } from "./local";
import type { KeyStore } from "./types";

const g = globalThis as unknown as { keyholdKeyStore?: Promise<KeyStore>; keyholdMaterialCache?: MaterialCache };

/** The root key store (local key file or KEYHOLD_ROOT_KEY); loaded once per process. */
export function rootKeyStore(): Promise<KeyStore> {
  return (g.keyholdKeyStore ??= (async () => {
    const cfg = config();
    return loadLocalKeyStore({ dataDir: cfg.dataDir, rootKeyBase64: cfg.rootKeyBase64 });
  })().catch((e) => {
    g.keyholdKeyStore = undefined; // let a later call retry after the operator fixes the file
    throw e;
  }));
}

export function materialCache(): MaterialCache {
  const cfg = config();
  return (g.keyholdMaterialCache ??= new MaterialCache({
    maxEntries: cfg.keyCacheSize,
    ttlMs: cfg.keyCacheTtlSeconds * 1000,
  }));
}
