// The server's background turn that expires unapproved requests and erases
// produced secrets nobody revealed in time (every minute).
import { logger } from "@/lib/log";
import { runPeriodically, type Periodic } from "@/lib/timers/periodic";
import { expireDueRequests } from "./expiry";
import { expireUnrevealedSecrets } from "./secret-expiry";

export function startApprovalExpiry({ intervalMs = 60_000 }: { intervalMs?: number } = {}): Periodic {
  return runPeriodically(async () => {
    try {
      const count = await expireDueRequests();
      if (count > 0) logger.info({ event: "approvals", count }, `approvals: ${count} request(s) expired`);
      const secrets = await expireUnrevealedSecrets();
      if (secrets > 0) logger.info({ event: "approvals", secrets }, `approvals: ${secrets} unrevealed secret(s) erased`);
    } catch (e) {
      const err = e instanceof Error ? { name: e.name, message: e.message.split("\n")[0] } : { name: typeof e };
      logger.error({ event: "approvals", err }, "approvals: expiry failed");
    }
  }, intervalMs);
}
