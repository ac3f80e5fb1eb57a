// The witness of chain heads, kept outside the audit table: after every
// commit the writer signs its chain's head (sequence and hash) and writes it
// to a file per chain in the data folder. Events committed but not yet
// covered by a digest are then still vouched for, so deleting the tail of a
// chain, or a whole chain with its digests, shows in the verifier even after
// a crash. (Someone who can also rewrite the data folder can defeat it; an
// external sink would be the next step.)
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface WitnessedHead {
  chainId: string;
  lastSeq: number;
  lastHash: string;
  signingKeyId: string;
  signature: string;
}

const FILE = /^([0-9a-f-]{36})\.json$/;

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

let prepared: string | undefined;

/** Replaces the chain's witnessed head (write then rename: never a half-written file). */
export function witnessHead(database: string, head: WitnessedHead): void {
  const dir = witnessDir(database);
  if (prepared !== dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    prepared = dir;
  }
  const file = join(dir, `${head.chainId}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(head), { mode: 0o600 });
  renameSync(tmp, file);
}

/** Every head witnessed in this data folder. */
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
    if (!FILE.test(name)) continue;
    try {
      heads.push(JSON.parse(readFileSync(join(dir, name), "utf8")) as WitnessedHead);
    } catch {
      // An unreadable witness is reported by the verifier as a head it cannot check.
      heads.push({ chainId: FILE.exec(name)![1]!, lastSeq: Number.MAX_SAFE_INTEGER, lastHash: "", signingKeyId: "", signature: "" });
    }
  }
  return heads;
}
