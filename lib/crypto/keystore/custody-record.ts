// Which root key store a data folder uses, recorded in <dataDir>/root-key-store.json (0600) so a
// restart uses the same kind whatever the environment says. Holds only non-secret facts: the kind,
// Shamir's M of N and the root key's verifier, the PKCS#11 token and key labels.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const CUSTODY_FILE = "root-key-store.json";
export const ROOT_KEY_STORE_KINDS = ["local", "shamir", "pkcs11"] as const;
export type RootKeyStoreKind = (typeof ROOT_KEY_STORE_KINDS)[number];

export interface ShamirCustody {
  threshold: number;
  custodians: number;
  /** HMAC-SHA256(root key, VERIFIER_LABEL), hex: checks a recombined key without storing it. */
  verifier: string;
  /** Short non-secret id of the root key carried in every share, to refuse another key's shares early. */
  fingerprint: string;
  /** Names one split: a rekey makes a new generation, so shares of the old split are refused. */
  generation: string;
}

export interface Pkcs11Custody {
  module: string;
  tokenLabel: string;
  keyLabel: string;
}

export interface CustodyRecord {
  kind: RootKeyStoreKind;
  shamir?: ShamirCustody;
  pkcs11?: Pkcs11Custody;
  updatedAt: string;
}

export function custodyFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), CUSTODY_FILE);
}

export function readCustodyRecord(dataDir: string): CustodyRecord | undefined {
  const file = custodyFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const record = JSON.parse(text) as CustodyRecord;
  if (!ROOT_KEY_STORE_KINDS.includes(record.kind)) throw new Error(`${file}: unknown root key store kind ${String(record.kind)}`);
  if (record.kind === "shamir" && !record.shamir) throw new Error(`${file}: the shamir store has no threshold or verifier`);
  if (record.kind === "pkcs11" && !record.pkcs11) throw new Error(`${file}: the pkcs11 store has no token or key label`);
  return record;
}

/** Atomic replace (temp file + fsync + rename), so a crash leaves the old or the new record. */
export function writeCustodyRecord(dataDir: string, record: Omit<CustodyRecord, "updatedAt">): CustodyRecord {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const full: CustodyRecord = { ...record, updatedAt: new Date().toISOString() };
  const tmp = path.join(dir, `.${CUSTODY_FILE}.${process.pid}.${randomBytes(6).toString("hex")}`);
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(full, null, 2) + "\n");
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, custodyFile(dir));
  return full;
}
