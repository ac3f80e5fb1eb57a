// Background work inside the server (no external cron): the key deletion
// sweeper and automatic rotation, the alert dispatcher and the expiry of
// approval requests. The server process only: API workers never run them.
import { startAlertDispatcher } from "@/lib/alerts/dispatcher";
import { startApprovalExpiry } from "@/lib/approvals/expiry-job";
import { startKeyScheduler } from "@/lib/kms/scheduler";

export function startBackgroundJobs(): { stop(): Promise<void> } {
  const jobs = [startKeyScheduler(), startAlertDispatcher(), startApprovalExpiry()];
  return { stop: async () => void (await Promise.all(jobs.map((j) => j.stop()))) };
}
