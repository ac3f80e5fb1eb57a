import type { NextRequest } from "next/server";
import { auditEventById } from "@/lib/audit/query";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/** One event by row ID or eventID. */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  return runRoute((caller) => auditEventById(caller, eventId));
}
