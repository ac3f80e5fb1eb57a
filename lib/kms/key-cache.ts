// A short-lived cache of key rows for the hot path (every cryptographic call
// resolves its key). Enabled only in servers (boot.ts); every write to a key
// goes through invokeKms or the scheduler, which invalidate here and, on
// PostgreSQL, tell the other instances with NOTIFY (key-notifications.ts),
// so no instance keeps serving a key that was disabled or deleted.
import { afterCommit, currentTransaction } from "@/lib/db/transaction";
import { prisma, type KmsKey } from "@/lib/db/client";
import { recordCacheLookup } from "@/lib/metrics";

interface Entry {
  row: KmsKey | null;
  expires: number;
}

interface KeyCache {
  enabled: boolean;
  ttlMs: number;
  entries: Map<string, Entry>;
  /** Bumped on every invalidation: a read that raced with one is not stored. */
  generation: number;
}

// On globalThis: the console (Next's bundle) and the API share one process.
const g = globalThis as unknown as { keyholdKeyCache?: KeyCache };
const cache = (g.keyholdKeyCache ??= { enabled: false, ttlMs: 5_000, entries: new Map(), generation: 0 });
const MAX_ENTRIES = 10_000;

export function enableKeyCache(ttlMs = 5_000): void {
  cache.enabled = true;
  cache.ttlMs = ttlMs;
}

export async function loadKeyRow(keyId: string): Promise<KmsKey | null> {
  // Inside a change transaction: read its own (uncommitted) view, never cache it.
  if (!cache.enabled || currentTransaction()) return prisma.kmsKey.findUnique({ where: { id: keyId } });
  const hit = cache.entries.get(keyId);
  const fresh = hit !== undefined && hit.expires > Date.now();
  recordCacheLookup("key", fresh);
  if (fresh) return hit.row;
  const generation = cache.generation;
  const row = await prisma.kmsKey.findUnique({ where: { id: keyId } });
  if (generation === cache.generation) {
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
    cache.entries.set(keyId, { row, expires: Date.now() + cache.ttlMs });
  }
  return row;
}

/**
 * Forgets a key's row (or all rows). Called after every change to a key: now,
 * and again once the change has committed, so no reader caches the old row in
 * between.
 */
export function invalidateKeyRow(keyId?: string): void {
  const forget = () => {
    cache.generation++;
    if (keyId) cache.entries.delete(keyId);
    else cache.entries.clear();
  };
  forget();
  afterCommit(forget);
}
