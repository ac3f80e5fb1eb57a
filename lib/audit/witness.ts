// The witness of chain heads, kept outside the audit table: after every
// commit the writer signs its chain's head (sequence and hash) and writes it
// in place to a file per chain in the data folder (one pwrite, ~20 µs).
// Events committed but not yet covered by a digest are then still vouched
// for, so deleting the tail of a chain, or a whole chain with its digests,
// shows in the verifier even after a crash. (Someone who can also rewrite the data folder can defeat it; an
// external sink would be the next step.)
import { mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

export interface WitnessedHead {
  chainId: string;
  lastSeq: number;
  lastHash: string;
  signingKeyId: string;
  signature: string;
}

const FILE = /^([0-9a-f-]{36})\.witness$/;
/** Two fixed slots per chain, written alternately in place: one pwrite per commit, and a torn write leaves the other slot. */
const SLOT = 512;

/**
 * The witness folder of this process's data folder, per database: named by
 * the database's first audit-signing key, so pointing the same data folder
 * at another database does not mix their chains.
 */
export function witnessDir(database: string): string {
  return join(resolve(process.env.KEYHOLD_DATA_DIR || ".keyhold"), "audit-witness", database);
}

/** The bytes a head signature covers. */
export function headPayload(h: { chainId: string; lastSeq: number; lastHash: string }): Buffer {
  return Buffer.from(JSON.stringify({ head: "keyhold-audit", chainId: h.chainId, lastSeq: h.lastSeq, lastHash: h.lastHash }));
}

const open = new Map<string, { fd: number; next: 0 | 1 }>();

/** Records the chain's head (called after every commit, before its callers are answered). */
export function witnessHead(database: string, head: WitnessedHead): void {
  const key = `${database}/${head.chainId}`;
  let file = open.get(key);
  if (!file) {
    const dir = witnessDir(database);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = { fd: openSync(join(dir, `${head.chainId}.witness`), "w", 0o600), next: 0 };
    open.set(key, file);
  }
  const slot = Buffer.alloc(SLOT, " ");
  const text = JSON.stringify(head);
  if (Buffer.byteLength(text) >= SLOT) throw new Error("witnessed head too long for its slot");
  slot.write(text);
  slot[SLOT - 1] = 0x0a;
  writeSync(file.fd, slot, 0, SLOT, file.next * SLOT);
  file.next = file.next === 0 ? 1 : 0;
}

/** Every head witnessed in this data folder: per chain, the newer readable slot. */
export function witnessedHeads(database: string): WitnessedHead[] {
  const dir = witnessDir(database);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const heads: WitnessedHead[] = [];
  for (const name of names) {
    const chainId = FILE.exec(name)?.[1];
    if (!chainId) continue;
    const slots: WitnessedHead[] = [];
    try {
      const bytes = readFileSync(join(dir, name));
      for (let at = 0; at + SLOT <= bytes.length; at += SLOT) {
        try {
          const h = JSON.parse(bytes.subarray(at, at + SLOT).toString("utf8")) as WitnessedHead;
          if (h.chainId === chainId && Number.isInteger(h.lastSeq)) slots.push(h);
        } catch {
          // a torn slot: the other one stands
        }
      }
    } catch {
      // unreadable: reported below as a head that cannot be checked
    }
    slots.sort((a, b) => b.lastSeq - a.lastSeq);
    // A witness with no readable slot cannot vouch for anything: the verifier reports it.
    heads.push(slots[0] ?? { chainId, lastSeq: Number.MAX_SAFE_INTEGER, lastHash: "", signingKeyId: "", signature: "" });
  }
  return heads;
}
