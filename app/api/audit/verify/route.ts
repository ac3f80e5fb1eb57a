import { verifyAuditTrailAs } from "@/lib/audit/verify";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** Walks every chain and checks every digest; reports the first problem. */
export function GET() {
  return runRoute((caller) => verifyAuditTrailAs(caller));
}
