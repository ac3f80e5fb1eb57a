// The server's background turn that expires unapproved requests (every minute).
import { logger } from "@/lib/log";
import { runPeriodically, type Periodic } from "@/lib/timers/periodic";
import { expireDueRequests } from "./expiry";

export function startApprovalExpiry({ intervalMs = 60_000 }: { intervalMs?: number } = {}): Periodic {
  return runPeriodically(async () => {
    try {
      const count = await expireDueRequests();
      if (count > 0) logger.info({ event: "approvals", count }, `approvals: ${count} request(s) expired`);
    } catch (e) {
      const err = e instanceof Error ? { name: e.name, message: e.message.split("\n")[0] } : { name: typeof e };
      logger.error({ event: "approvals", err }, "approvals: expiry failed");
    }
  }, intervalMs);
}
