import type { NextRequest } from "next/server";
import { parseAuditSearchParams, queryAuditEvents } from "@/lib/audit/query";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** The timeline: ?from&to&eventName&keyId&principal&sourceIp&errorsOnly&readOnly&q&cursor&limit */
export function GET(request: NextRequest) {
  return runRoute((caller) => {
    const { filters, page } = parseAuditSearchParams(request.nextUrl.searchParams);
    return queryAuditEvents(caller, filters, page);
  });
}
