import type { NextRequest } from "next/server";
import { auditVerificationProgress } from "@/lib/audit/verify-cache";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** How far the caller's full re-verification `?run=<uuid>` has got: {read, total, done}. */
export function GET(request: NextRequest) {
  return runRoute((caller) => auditVerificationProgress(caller, request.nextUrl.searchParams.get("run") ?? ""));
}
