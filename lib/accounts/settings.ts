// The Settings page's changes: administrators only, validated, and audited
// (the setting rows and the UpdateSettings event commit together).
import { auditedOperation } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { ValidationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { readRuntimeSettings, runtimeSettingsPatch, writeRuntimeSettings, type RuntimeSettings, type RuntimeSettingsPatch } from "@/lib/settings/runtime";
import { authorize } from "@/lib/access/authorize";
import { validate } from "@/lib/access/validate";

/** Authorizes and validates a change without making it (also an approval's dry run, lib/approvals). */
export async function checkSettingsUpdate(caller: Principal, input: unknown): Promise<{ patch: RuntimeSettingsPatch; current: RuntimeSettings }> {
  authorize(caller, "keyhold:UpdateSettings", ["ADMINISTRATOR"]);
  const patch = validate(runtimeSettingsPatch, input);
  const current = await readRuntimeSettings();
  if (patch.auditRetentionDays !== undefined && current.auditRetentionDays.source === "environment") {
    throw new ValidationException("The audit retention is set by KEYHOLD_AUDIT_RETENTION_DAYS; change it there.");
  }
  return { patch, current };
}

/** Whether the change makes audit events be purged sooner (a retention set, or shortened). */
export function shortensAuditRetention(patch: RuntimeSettingsPatch, current: RuntimeSettings): boolean {
  const next = patch.auditRetentionDays;
  if (next === undefined || next === null) return false;
  const now = current.auditRetentionDays.value;
  return now === null || next < now;
}

async function updateSettingsUnaudited(caller: Principal, input: unknown): Promise<RuntimeSettings> {
  const { patch } = await checkSettingsUpdate(caller, input);
  await writeRuntimeSettings(patch);
  logger.info({ event: "settings-updated", by: caller.arn, changed: Object.keys(patch) }, "settings updated");
  return readRuntimeSettings();
}

async function getSettingsUnaudited(caller: Principal): Promise<RuntimeSettings> {
  if (caller.mustChangePassword) authorize(caller, "keyhold:GetSettings", []);
  return readRuntimeSettings();
}

export const updateSettings = auditedOperation("UpdateSettings", "iam.amazonaws.com", updateSettingsUnaudited);
export const getSettings = auditedOperation("GetSettings", "iam.amazonaws.com", getSettingsUnaudited, { readOnly: true });
