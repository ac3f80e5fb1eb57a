import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { AUDIT_READERS } from "@/lib/audit/access";
import { requirePrincipal } from "@/lib/auth/current";
import { AuditTimeline, type TimelineInitial } from "./audit-timeline";

export const metadata: Metadata = { title: "Audit" };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.slice(0, 512);

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requirePrincipal();
  // The page only decides what to render; the service layer enforces access on every call.
  if (!principal.role || !(AUDIT_READERS as readonly string[]).includes(principal.role)) return <Forbidden what="the audit trail" />;
  const sp = await searchParams;
  // Links (from an event's principal, a key's activity) open the timeline pre-filtered.
  const initial: TimelineInitial = {
    keyId: one(sp.keyId),
    principal: one(sp.principal),
    eventName: one(sp.eventName),
    sourceIp: one(sp.sourceIp),
    q: one(sp.q),
    errorsOnly: one(sp.errorsOnly) === "true",
    outcome: one(sp.outcome),
    views: one(sp.views) === "true",
    range: one(sp.range),
  };
  return <AuditTimeline key={JSON.stringify(initial)} initial={initial} />;
}
