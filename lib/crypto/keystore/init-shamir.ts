// `keyhold init --custodians N --threshold M`: seals this data folder's root key with Shamir shares.
// An existing local root key (the file, or KEYHOLD_ROOT_KEY) is the one split, so everything already
// wrapped by it stays readable; without one a new root key is made. Afterwards only the verifier is
// kept: the key file is overwritten and removed.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Config } from "@/lib/config";
import { AES_KEY_BYTES } from "../aes-gcm";
import { readCustodyRecord, writeCustodyRecord } from "./custody-record";
import { ROOT_KEY_FILE } from "./local";
import { splitRootKey } from "./shamir-shares";

export interface ShamirInitResult {
  shares: string[];
  threshold: number;
  custodians: number;
  fingerprint: string;
  /** Whether an existing local root key was split (rather than a new one made). */
  splitExisting: boolean;
}

function existingLocalKey(cfg: Pick<Config, "dataDir" | "rootKeyBase64">): Buffer | undefined {
  if (cfg.rootKeyBase64) return Buffer.from(cfg.rootKeyBase64, "base64");
  const file = path.join(cfg.dataDir, ROOT_KEY_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
}

/** Overwrites then unlinks: the key's bytes do not stay in the file's blocks when the FS allows. */
function destroyKeyFile(file: string): void {
  if (!fs.existsSync(file)) return;
  const fd = fs.openSync(file, "r+");
  try {
    fs.writeSync(fd, Buffer.alloc(fs.fstatSync(fd).size));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(file);
}

export async function initShamirCustody(cfg: Pick<Config, "dataDir" | "rootKeyBase64">, custodians: number, threshold: number): Promise<ShamirInitResult> {
  const record = readCustodyRecord(cfg.dataDir);
  if (record && record.kind !== "local") {
    throw new Error(`this data folder already uses the ${record.kind} root key store (new shares: \`keyhold root-key rekey\`)`);
  }
  const existing = existingLocalKey(cfg);
  if (existing && existing.length !== AES_KEY_BYTES) throw new Error("the local root key is not 32 bytes; fix it before sealing it");
  const key = existing ?? randomBytes(AES_KEY_BYTES);
  try {
    const { custody, shares } = await splitRootKey(key, custodians, threshold);
    // Recorded before the key file goes: a crash in between leaves a stale key file (remove it by
    // hand), never a data folder without a way to its root key.
    writeCustodyRecord(cfg.dataDir, { kind: "shamir", shamir: custody });
    destroyKeyFile(path.join(cfg.dataDir, ROOT_KEY_FILE));
    return { shares, threshold, custodians, fingerprint: custody.fingerprint, splitExisting: existing !== undefined };
  } finally {
    key.fill(0);
  }
}
