import type { NextRequest } from "next/server";
import { parseFilterParams } from "@/lib/audit/filters";
import { auditSummary } from "@/lib/audit/summary";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** Principal × outcome for the timeline's filters (same query string as /api/audit/events). */
export function GET(request: NextRequest) {
  return runRoute((caller) => auditSummary(caller, parseFilterParams(request.nextUrl.searchParams)));
}
