// The process's root key store and plaintext-material cache.
import { config } from "@/lib/config";
import { KmsError } from "@/lib/errors";
import { MaterialCache } from "../material-cache";
import { openRootKeyStore } from "./open";
import type { ShamirKeyStore } from "./shamir";
import type { KeyStore } from "./types";

const g = globalThis as unknown as { keyholdKeyStore?: Promise<KeyStore>; keyholdMaterialCache?: MaterialCache };

/** The root key store (local, shamir or pkcs11: see open.ts); loaded once per process. */
export function rootKeyStore(): Promise<KeyStore> {
  const shared = (g.keyholdKeyStore ??= openRootKeyStore(config()).catch((e) => {
    g.keyholdKeyStore = undefined; // let a later call retry after the operator fixes the file
    throw e;
  }));
  return shared.then(withOwnErrors);
}

/**
 * The store object is the process's one, but the Next.js bundle and server.ts each have their own
 * copy of lib/errors: a sealed or refused-share error made by the other copy fails `instanceof
 * KmsError` here and would reach a caller as an internal error. Rethrown as this copy's KmsError.
 */
const adapted = new WeakMap<KeyStore, KeyStore>();
function ownError(e: unknown): unknown {
  if (e instanceof KmsError || !(e instanceof Error)) return e;
  const status = (e as { status?: unknown }).status;
  return typeof status === "number" && /Exception$/.test(e.name) ? new KmsError(e.name, e.message, status) : e;
}
function withOwnErrors(store: KeyStore): KeyStore {
  let proxy = adapted.get(store);
  if (!proxy) {
    proxy = new Proxy(store, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          try {
            const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
            return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(ownError(e))) : result;
          } catch (e) {
            throw ownError(e);
          }
        };
      },
    });
    adapted.set(store, proxy);
  }
  return proxy;
}

/**
 * The Shamir store when the process uses one (unseal, seal, rekey), else undefined. By kind, not
 * instanceof: the Next.js bundle has its own copy of the class, the store object is the process's one.
 */
export async function sealableKeyStore(): Promise<ShamirKeyStore | undefined> {
  const store = await rootKeyStore();
  return store.kind === "shamir" ? (store as ShamirKeyStore) : undefined;
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
