// Background work inside the server (no external cron): the key deletion
// sweeper and automatic rotation, and the alert dispatcher. The server
// process only: API workers never run them.
import { startAlertDispatcher } from "@/lib/alerts/dispatcher";
import { startKeyScheduler } from "@/lib/kms/scheduler";

export function startBackgroundJobs(): { stop(): Promise<void> } {
  const jobs = [startKeyScheduler(), startAlertDispatcher()];
  return { stop: async () => void (await Promise.all(jobs.map((j) => j.stop()))) };
}
