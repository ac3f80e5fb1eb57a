// Settings an administrator edits in the console (Settings page) and the
// server reads while it runs: audit retention and the sign-in lockout. They
// live in the Setting table so every instance agrees; an environment variable
// that sets one (KEYHOLD_AUDIT_RETENTION_DAYS) wins and makes it read-only.
// Writes go through lib/accounts/settings.ts (authorized, audited).
import { config } from "@/lib/config";
import { prisma } from "@/lib/db/client";
import type { RuntimeSettings, RuntimeSettingsPatch } from "./runtime-schema";

export { RUNTIME_SETTING_LIMITS, runtimeSettingsPatch, type RuntimeSettings, type RuntimeSettingsPatch } from "./runtime-schema";

const KEYS = { auditRetentionDays: "audit_retention_days", lockoutThreshold: "lockout_threshold", lockoutMinutes: "lockout_minutes" } as const;
export const DEFAULT_LOCKOUT = { threshold: 5, lockMinutes: 15 };

// Sign-in reads these on every attempt: a short cache keeps that off the
// database; another instance's change shows here within this long.
const CACHE_MS = 5_000;
let cache: { at: number; value: RuntimeSettings } | undefined;

const stored = (rows: Map<string, string>, key: string): number | null | undefined => {
  const raw = rows.get(key);
  if (raw === undefined) return undefined;
  return raw === "" ? null : Number(raw);
};

export async function readRuntimeSettings(): Promise<RuntimeSettings> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.value;
  const rows = new Map(
    (await prisma.setting.findMany({ where: { key: { in: Object.values(KEYS) } } })).map((r) => [r.key, r.value] as const),
  );
  const envRetention = config().auditRetentionDays;
  const retention = stored(rows, KEYS.auditRetentionDays);
  const lockThreshold = stored(rows, KEYS.lockoutThreshold);
  const lockMinutes = stored(rows, KEYS.lockoutMinutes);
  const value: RuntimeSettings = {
    auditRetentionDays:
      envRetention !== undefined
        ? { value: envRetention, source: "environment" }
        : retention !== undefined
          ? { value: retention, source: "database" }
          : { value: null, source: "default" },
    lockoutThreshold: typeof lockThreshold === "number" ? { value: lockThreshold, source: "database" } : { value: DEFAULT_LOCKOUT.threshold, source: "default" },
    lockoutMinutes: typeof lockMinutes === "number" ? { value: lockMinutes, source: "database" } : { value: DEFAULT_LOCKOUT.lockMinutes, source: "default" },
  };
  cache = { at: Date.now(), value };
  return value;
}

/** Stores a validated change (the caller authorizes and audits it). */
export async function writeRuntimeSettings(patch: RuntimeSettingsPatch): Promise<void> {
  for (const [field, v] of Object.entries(patch) as Array<[keyof typeof KEYS, number | null | undefined]>) {
    if (v === undefined) continue;
    const value = v === null ? "" : String(v);
    await prisma.setting.upsert({ where: { key: KEYS[field] }, create: { key: KEYS[field], value }, update: { value } });
  }
  cache = undefined;
}

/** Forgets the cached values (tests, and after this process writes). */
export function forgetRuntimeSettings(): void {
  cache = undefined;
}
