// The Settings page's changes: administrators only, validated, and audited
// (the setting rows and the UpdateSettings event commit together).
import { auditedOperation } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { ValidationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { readRuntimeSettings, runtimeSettingsPatch, writeRuntimeSettings, type RuntimeSettings } from "@/lib/settings/runtime";
import { authorize } from "./authorize";
import { validate } from "./validate";

async function updateSettingsUnaudited(caller: Principal, input: unknown): Promise<RuntimeSettings> {
  authorize(caller, "keyhold:UpdateSettings", ["ADMINISTRATOR"]);
  const patch = validate(runtimeSettingsPatch, input);
  const current = await readRuntimeSettings();
  if (patch.auditRetentionDays !== undefined && current.auditRetentionDays.source === "environment") {
    throw new ValidationException("The audit retention is set by KEYHOLD_AUDIT_RETENTION_DAYS; change it there.");
  }
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
