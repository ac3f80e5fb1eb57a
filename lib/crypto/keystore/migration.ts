// Moving the root key to another store (`keyhold root-key migrate --to …`, server stopped). The
// target key is staged before any row changes and its facts recorded in root-key-migration.json,
// so a crash leaves each row wrapped by the old or the new key and a rerun carries on:
//   local/shamir target: a new 256-bit key staged in <dataDir>/root-key.next (0600) until done;
//   pkcs11 target: the token key (created if missing).
// Only after every row is verified under the new store does custody switch (root-key-store.json).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Config } from "@/lib/config";
import { AES_KEY_BYTES } from "../aes-gcm";
import { readCustodyRecord, writeCustodyRecord, type CustodyRecord, type RootKeyStoreKind } from "./custody-record";
import { destroyKeyFile } from "./key-file";
import { LocalKeyStore, ROOT_KEY_FILE } from "./local";
import { openPkcs11Store } from "./open";
import { splitRootKey } from "./shamir-shares";
import type { KeyStore } from "./types";

type StoreConfig = Pick<Config, "dataDir" | "rootKeyBase64" | "rootKeyStore" | "pkcs11">;

export const MIGRATION_FILE = "root-key-migration.json";
const STAGED_KEY_FILE = "root-key.next";

export interface MigrationRecord {
  from: RootKeyStoreKind;
  to: RootKeyStoreKind;
  startedAt: string;
  shamir?: { custodians: number; threshold: number };
  pkcs11?: { module: string; tokenLabel: string; keyLabel: string };
}

const file = (dataDir: string, name: string) => path.join(path.resolve(dataDir), name);

export function readMigrationRecord(dataDir: string): MigrationRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file(dataDir, MIGRATION_FILE), "utf8")) as MigrationRecord;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function writeMigrationRecord(dataDir: string, record: MigrationRecord): void {
  const tmp = file(dataDir, `.${MIGRATION_FILE}.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file(dataDir, MIGRATION_FILE));
}

/**
 * The staged key, created once (0600, fsync'd) and read again on a rerun. A local target is staged
 * at its final place (root-key): nothing reads that file while the recorded store is another kind.
 */
function stagedKeyFile(dataDir: string, to: RootKeyStoreKind): string {
  return file(dataDir, to === "local" ? ROOT_KEY_FILE : STAGED_KEY_FILE);
}

function stagedKey(f: string): Buffer {
  if (!fs.existsSync(f)) {
    const key = randomBytes(AES_KEY_BYTES);
    const fd = fs.openSync(f, "wx", 0o600);
    try {
      fs.writeSync(fd, key);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
      key.fill(0);
    }
  }
  const key = fs.readFileSync(f);
  if (key.length !== AES_KEY_BYTES) throw new Error(`${f} is damaged (not 32 bytes)`);
  return key;
}

/**
 * Starts (or resumes) a migration to `to` and opens the target store. A rerun must name the same target.
 */
export async function beginMigration(
  cfg: StoreConfig,
  from: RootKeyStoreKind,
  to: RootKeyStoreKind,
  shamir?: { custodians: number; threshold: number },
): Promise<{ record: MigrationRecord; target: KeyStore }> {
  const existing = readMigrationRecord(cfg.dataDir);
  if (existing && existing.to !== to) {
    throw new Error(`a migration to ${existing.to} is in progress (started ${existing.startedAt}): finish it with \`keyhold root-key migrate --to ${existing.to}\``);
  }
  if (!existing && from === to) throw new Error(`the root key is already in the ${to} store${to === "shamir" ? " (new shares: `keyhold root-key rekey`)" : ""}`);
  let record = existing ?? { from, to, startedAt: new Date().toISOString(), ...(to === "shamir" && shamir ? { shamir } : {}) };
  let target: KeyStore;
  if (to === "pkcs11") {
    const store = await openPkcs11Store(cfg, record.pkcs11, true);
    const d = store.describe();
    record = { ...record, pkcs11: { module: String(d.module), tokenLabel: String(d.tokenLabel), keyLabel: String(d.keyLabel) } };
    target = store;
  } else {
    const staged = stagedKeyFile(cfg.dataDir, to);
    const key = stagedKey(staged);
    target = new LocalKeyStore(key, { source: "file", path: staged });
    key.fill(0);
  }
  if (!existing || record.pkcs11 !== existing.pkcs11) writeMigrationRecord(cfg.dataDir, record);
  return { record, target };
}

/**
 * Every row is verified under the target: switch custody to it and discard the old key (a local key
 * file is overwritten and removed; an old HSM key stays on its token for its owner to delete).
 * Returns the shares when the target is shamir.
 */
export async function finishMigration(cfg: StoreConfig, record: MigrationRecord): Promise<{ shares?: string[] }> {
  let result: { shares?: string[] } = {};
  let custody: Omit<CustodyRecord, "updatedAt">;
  const staged = stagedKeyFile(cfg.dataDir, record.to);
  if (record.to === "pkcs11") custody = { kind: "pkcs11", pkcs11: record.pkcs11 };
  else if (record.to === "shamir") {
    const key = stagedKey(staged);
    try {
      const { custodians, threshold } = record.shamir ?? { custodians: 3, threshold: 2 };
      const split = await splitRootKey(key, custodians, threshold);
      custody = { kind: "shamir", shamir: split.custody };
      result = { shares: split.shares };
    } finally {
      key.fill(0);
    }
  } else custody = { kind: "local" };
  // Custody switches first; keys are discarded after, so a crash in between leaves a stale key file
  // at worst, never a recorded store without its key. The staged Shamir key goes last: a rerun
  // after a crash here splits it again (the shares of the crashed run were never shown).
  writeCustodyRecord(cfg.dataDir, custody);
  if (record.from === "local") destroyKeyFile(file(cfg.dataDir, ROOT_KEY_FILE));
  if (record.to === "shamir") destroyKeyFile(staged);
  fs.rmSync(file(cfg.dataDir, MIGRATION_FILE), { force: true });
  return result;
}

export { readCustodyRecord };
