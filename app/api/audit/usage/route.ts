import type { NextRequest } from "next/server";
import { auditUsage, type AuditUsageInput } from "@/lib/audit/query";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** Calls per bucket: ?bucket=minute|hour|day&from&to[&keyId][&hideConsoleViews=true] */
export function GET(request: NextRequest) {
  const sp = request.nextUrl.searchParams;
  return runRoute((caller) =>
    auditUsage(caller, {
      bucket: (sp.get("bucket") ?? "hour") as AuditUsageInput["bucket"],
      from: sp.get("from") ?? undefined,
      to: sp.get("to") ?? undefined,
      keyId: sp.get("keyId") ?? undefined,
      hideConsoleViews: sp.get("hideConsoleViews") === "true" || undefined,
    } as AuditUsageInput),
  );
}
