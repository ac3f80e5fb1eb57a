import type { NextRequest } from "next/server";
import { auditFilterSuggestions } from "@/lib/audit/key-names";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** Autocomplete for the Key (?key=) and Principal (?principal=) filters. */
export function GET(request: NextRequest) {
  const sp = request.nextUrl.searchParams;
  return runRoute((caller) => auditFilterSuggestions(caller, { key: sp.get("key") ?? undefined, principal: sp.get("principal") ?? undefined }));
}
