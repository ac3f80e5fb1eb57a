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
}

/** Installation facts; readable by every signed-in user who has finished the first sign-in. */
export async function readSettings(caller: Principal): Promise<SettingsOverview> {
  if (caller.mustChangePassword) throw new AccessDeniedException("You must change your password first.");
  return { accountId: await accountId(), region: region(), database: databaseKind(), version: VERSION };
}
