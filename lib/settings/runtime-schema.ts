// The editable settings' shape and bounds: shared by the server (validation)
// and the Settings form (checks as you type), so no server import here.
import { z } from "zod";

export const RUNTIME_SETTING_LIMITS = {
  auditRetentionDays: { min: 30, max: 3650 },
  lockoutThreshold: { min: 3, max: 20 },
  lockoutMinutes: { min: 1, max: 1440 },
} as const;

const days = RUNTIME_SETTING_LIMITS.auditRetentionDays;
const threshold = RUNTIME_SETTING_LIMITS.lockoutThreshold;
const minutes = RUNTIME_SETTING_LIMITS.lockoutMinutes;

/** A change: any subset; auditRetentionDays null keeps every event (no purge). */
export const runtimeSettingsPatch = z
  .object({
    auditRetentionDays: z
      .number()
      .int("The audit retention is a whole number of days.")
      .min(days.min, `Keep audit events at least ${days.min} days.`)
      .max(days.max, `The audit retention is at most ${days.max} days.`)
      .nullable(),
    lockoutThreshold: z
      .number()
      .int("The lockout threshold is a whole number of failures.")
      .min(threshold.min, `Lock after at least ${threshold.min} failures.`)
      .max(threshold.max, `Lock after at most ${threshold.max} failures.`),
    lockoutMinutes: z
      .number()
      .int("The lock duration is a whole number of minutes.")
      .min(minutes.min, `A lock lasts at least ${minutes.min} minute.`)
      .max(minutes.max, `A lock lasts at most ${minutes.max} minutes (one day).`),
  })
  .partial()
  .strict();
export type RuntimeSettingsPatch = z.infer<typeof runtimeSettingsPatch>;

export type SettingSource = "default" | "database" | "environment";
export interface RuntimeSettings {
  auditRetentionDays: { value: number | null; source: SettingSource };
  lockoutThreshold: { value: number; source: SettingSource };
  lockoutMinutes: { value: number; source: SettingSource };
}
