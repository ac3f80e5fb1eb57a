// Bounded, expiring cache of plaintext key material keyed by key ID and version. Every buffer
// leaving the cache (eviction, expiry, delete, clear, overwrite) is zero-filled.
//
// Ownership rule: set() takes ownership of the buffer (do not use it afterwards, it may be
// wiped at any time); get() returns a fresh copy that the caller owns and should wipe.
// So a buffer wiped by eviction can never be one a request is still using.
import { LRUCache } from "lru-cache";

export interface MaterialCacheOptions {
  /** Max cached key versions (default 1000). */
  maxEntries?: number;
  /** Time to live in ms (default 5 minutes); expired entries are wiped by a timer. */
  ttlMs?: number;
}

const cacheKey = (keyId: string, version: number) => `${keyId}:${version}`;

export class MaterialCache {
  readonly #lru: LRUCache<string, Buffer>;

  constructor(opts: MaterialCacheOptions = {}) {
    this.#lru = new LRUCache<string, Buffer>({
      max: opts.maxEntries ?? 1000,
      ttl: opts.ttlMs ?? 5 * 60_000,
      ttlAutopurge: true, // wipe on expiry, not only on the next access
      updateAgeOnGet: false, // TTL bounds how long material stays in memory after it was unwrapped
      dispose: (value) => value.fill(0),
    });
  }

  get(keyId: string, version: number): Buffer | undefined {
    const v = this.#lru.get(cacheKey(keyId, version));
    return v ? Buffer.from(v) : undefined;
  }

  has(keyId: string, version: number): boolean {
    return this.#lru.has(cacheKey(keyId, version));
  }

  /** Stores `material`, taking ownership of it (it will be wiped when it leaves the cache). */
  set(keyId: string, version: number, material: Buffer): void {
    const k = cacheKey(keyId, version);
    if (this.#lru.peek(k) === material) return;
    this.#lru.set(k, material);
  }

  /** Drops (and wipes) every cached version of a key, e.g. when it is disabled or deleted. */
  delete(keyId: string): void {
    const prefix = `${keyId}:`;
    for (const k of [...this.#lru.keys()]) if (k.startsWith(prefix)) this.#lru.delete(k);
  }

  clear(): void {
    this.#lru.clear();
  }

  get size(): number {
    return this.#lru.size;
  }
}
