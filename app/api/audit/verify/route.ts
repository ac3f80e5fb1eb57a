import type { NextRequest } from "next/server";
import { verifyFullyAs, verifyIncrementallyAs } from "@/lib/audit/verify-cache";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/**
 * Chain status. By default incremental: each chain resumes from the last
 * signed digest an earlier run verified. `?mode=full&run=<uuid>` re-reads
 * every event (poll /api/audit/verify/progress?run=<uuid> meanwhile).
 */
export function GET(request: NextRequest) {
  const sp = request.nextUrl.searchParams;
  return runRoute((caller) => (sp.get("mode") === "full" ? verifyFullyAs(caller, sp.get("run") ?? undefined) : verifyIncrementallyAs(caller)));
}
