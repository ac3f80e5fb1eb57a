import type { NextRequest } from "next/server";
import { verifyFullyAs, verifyIncrementallyAs } from "@/lib/audit/verify-cache";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/**
 * Chain status: incremental, each chain resuming from the last signed digest
 * an earlier run verified.
 */
export function GET() {
  return runRoute((caller) => verifyIncrementallyAs(caller));
}

/**
 * A full re-verification, `?run=<uuid>` (poll /api/audit/verify/progress?run=<uuid>
 * meanwhile). A POST: the session cookie (SameSite=Lax) does not travel with a
 * cross-site POST, so another site cannot make an auditor's browser start one.
 */
export function POST(request: NextRequest) {
  return runRoute((caller) => verifyFullyAs(caller, request.nextUrl.searchParams.get("run") ?? undefined));
}
