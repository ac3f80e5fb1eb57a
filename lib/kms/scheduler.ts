// In-process scheduler for the key service's own work: destroying keys whose
// deletion date has passed, rotating keys that are due, deleting imported key
// material past its ValidTo and purging expired import parameters. Runs inside every
// server instance (no external cron); the operations it calls are
// conditional per key, so instances running it at once do each job once.
import { purgeExpiredAuditEvents } from "@/lib/audit/retention";
import { readRuntimeSettings } from "@/lib/settings/runtime";
import { logger } from "@/lib/log";
import { recordSchedulerRun } from "@/lib/metrics";
import { runPeriodically, type Periodic } from "@/lib/timers/periodic";
import { deleteExpiredKeyMaterial, purgeExpiredImportParameters } from "./import/expiry";
import { sweepDueDeletions } from "./operations/deletion";
import { rotateDueKeys } from "./operations/rotation";

export type KeyScheduler = Periodic;

async function runJob(job: string, fn: () => Promise<number>): Promise<void> {
  try {
    const count = await fn();
    recordSchedulerRun(job, count);
    if (count > 0) logger.info({ event: "key-scheduler", job, count }, `key scheduler: ${job} ${count}`);
  } catch (e) {
    // Name and first line only: never a query parameter or anything secret.
    recordSchedulerRun(job, undefined);
    const err = e instanceof Error ? { name: e.name, message: e.message.split("\n")[0] } : { name: typeof e };
    logger.error({ event: "key-scheduler", job, err }, `key scheduler: ${job} failed`);
  }
}

/** Runs the sweeper, the automatic rotation and the import jobs now and then every `intervalMs` (runs never overlap). */
export function startKeyScheduler({ intervalMs = 60_000 }: { intervalMs?: number } = {}): KeyScheduler {
  const run = async () => {
    await runJob("keys-deleted", sweepDueDeletions);
    await runJob("keys-rotated", rotateDueKeys);
    await runJob("imported-material-expired", deleteExpiredKeyMaterial);
    await runJob("import-parameters-purged", purgeExpiredImportParameters);
    // KEYHOLD_AUDIT_RETENTION_DAYS, else the retention set on the Settings page.
    const retentionDays = (await readRuntimeSettings()).auditRetentionDays.value;
    if (retentionDays) await runJob("audit-purged", () => purgeExpiredAuditEvents(retentionDays));
  };
  const periodic = runPeriodically(run, intervalMs);
  logger.info({ event: "key-scheduler", intervalMs }, "key scheduler started");
  return periodic;
}
