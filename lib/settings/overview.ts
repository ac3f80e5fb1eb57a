import { join } from "node:path";
import { config } from "@/lib/config";
import { ROOT_KEY_FILE } from "@/lib/crypto/keystore/local";
import type { Principal } from "@/lib/auth/principal";
import { AccessDeniedException } from "@/lib/errors";
import { databaseKind, type DatabaseKind } from "@/lib/db/status";
import { VERSION } from "@/lib/version";
import { accountId, region } from "./account";

export interface SettingsOverview {
  accountId: string;
  region: string;
  database: DatabaseKind;
  version: string;
  /** Set by the environment (read-only in the console). */
  sessionIdleMinutes: number;
  sessionMaxMinutes: number;
  /** Where the root key comes from: KEYHOLD_ROOT_KEY, or the key file in the data folder. */
  rootKey: { custody: "environment" } | { custody: "file"; path: string };
}

/** Installation facts; readable by every signed-in user who has finished the first sign-in. */
export async function readSettings(caller: Principal): Promise<SettingsOverview> {
  if (caller.mustChangePassword) throw new AccessDeniedException("You must change your password first.");
  const cfg = config();
  return {
    accountId: await accountId(),
    region: region(),
    database: databaseKind(),
    version: VERSION,
    sessionIdleMinutes: cfg.sessionIdleSeconds / 60,
    sessionMaxMinutes: cfg.sessionMaxSeconds / 60,
    rootKey: cfg.rootKeyBase64 ? { custody: "environment" } : { custody: "file", path: join(cfg.dataDir, ROOT_KEY_FILE) },
  };
}
