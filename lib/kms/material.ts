// Key material: generated, wrapped by the root key, stored per version, and
// unwrapped on demand into the bounded cache. Plaintext never leaves memory.
import { generateKeyMaterial, materialAad, type KeySpec } from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import { currentTransaction } from "@/lib/db/transaction";
import { isKmsError, KeyUnavailableException, KMSInternalException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { recordCacheLookup } from "@/lib/metrics";
import { materialCache, rootKeyStore } from "@/lib/crypto/keystore/process";
import { messages } from "@/lib/errors/messages";

export interface WrappedMaterial {
  version: number;
  wrapped: Uint8Array<ArrayBuffer>;
  wrappedBy: string;
}

/** Generates fresh material for a key version and returns it wrapped (the plaintext is wiped). */
export async function newWrappedMaterial(keyId: string, version: number, keySpec: KeySpec): Promise<WrappedMaterial> {
  const store = await rootKeyStore();
  const material = generateKeyMaterial(keySpec);
  try {
    const wrapped = await store.wrap(material, materialAad(keyId, version, keySpec));
    const d = store.describe();
    return { version, wrapped: new Uint8Array(wrapped), wrappedBy: `${d.kind}:${String(d.fingerprint ?? "")}` };
  } finally {
    material.fill(0);
  }
}

/**
 * Runs `fn` with the plaintext material of a key version and wipes the copy
 * afterwards. The caller must not keep the buffer beyond `fn`.
 */
export async function withMaterial<T>(
  key: { id: string; keySpec: string },
  version: number,
  fn: (material: Buffer) => T | Promise<T>,
): Promise<T> {
  const cache = materialCache();
  let material = cache.get(key.id, version);
  recordCacheLookup("material", material !== undefined);
  if (!material) {
    const row = await prisma.keyMaterial.findUnique({ where: { keyId_version: { keyId: key.id, version } } });
    // Destroyed (crypto-shredded) or never imported: nothing can be done with this version.
    if (!row) throw new KeyUnavailableException(messages.materialUnavailable);
    const store = await rootKeyStore();
    let plaintext: Buffer;
    try {
      plaintext = await store.unwrap(Buffer.from(row.wrapped), materialAad(key.id, version, key.keySpec as KeySpec));
    } catch (e) {
      // The root key store's own answer (sealed, HSM unreachable) goes to the caller as it is.
      if (isKmsError(e)) throw e;
      // Wrong root key or a tampered row: an operator problem, never the caller's.
      logger.error({ keyId: key.id, version, err: (e as Error).name }, "cannot unwrap key material");
      throw new KMSInternalException(messages.materialNotUnwrappable);
    }
    if (currentTransaction()) {
      material = plaintext; // a version read inside an uncommitted change is never cached
    } else {
      material = Buffer.from(plaintext); // our copy; the cache owns (and may wipe) `plaintext`
      cache.set(key.id, version, plaintext);
    }
  }
  try {
    return await fn(material);
  } finally {
    material.fill(0);
  }
}

/** Forgets cached plaintext of a key (disabled, deleted). */
export function forgetMaterial(keyId: string): void {
  materialCache().delete(keyId);
}
