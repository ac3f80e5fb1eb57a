// The hash chain: each event's hash covers the previous hash and the exact
// record text, so changing, removing, reordering or inserting any event
// breaks every hash after it.
import { createHash, hash } from "node:crypto";

export function genesisHash(chainId: string): string {
  return createHash("sha256").update(`keyhold-audit-genesis:${chainId}`).digest("hex");
}

export function eventHash(prevHash: string, record: string): string {
  // One-shot crypto.hash: no Hash object per event (1.7 → 1.0 µs for a 1.3 KB record); same bytes hashed.
  return hash("sha256", `${prevHash}\n${record}`, "hex");
}

/** The bytes a digest signature covers. */
export function digestPayload(d: { chainId: string; lastSeq: number; lastHash: string; prevSignature: string | null; createdAt: Date }): Buffer {
  return Buffer.from(
    JSON.stringify({ chainId: d.chainId, lastSeq: d.lastSeq, lastHash: d.lastHash, prevSignature: d.prevSignature, createdAt: d.createdAt.toISOString() }),
  );
}
