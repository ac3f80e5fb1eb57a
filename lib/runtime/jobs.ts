// Background work inside the server (no external cron): the key deletion
// sweeper and automatic rotation.
import { startKeyScheduler } from "@/lib/kms/scheduler";

export function startBackgroundJobs(): { stop(): Promise<void> } {
  return startKeyScheduler();
}
