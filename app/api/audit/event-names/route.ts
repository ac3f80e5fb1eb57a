import { auditEventNames } from "@/lib/audit/query";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** Event names on record, for the timeline's filter suggestions. */
export function GET() {
  return runRoute((caller) => auditEventNames(caller));
}
