import type { NextRequest } from "next/server";
import { listApprovalRequests } from "@/lib/approvals";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** GET /api/approvals[?status=pending|approved|executed|failed|rejected|expired]: the requests the caller may see (signed-in session). */
export function GET(request: NextRequest) {
  const status = request.nextUrl.searchParams.get("status") ?? undefined;
  return runRoute((caller) => listApprovalRequests(caller, status ? { status } : {}));
}
