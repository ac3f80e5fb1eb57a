import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { AUDIT_READERS } from "@/lib/audit/access";
import { requirePrincipal } from "@/lib/console/auth/current";
import type { Principal } from "@/lib/auth/principal";
import { queryAuditEvents } from "@/lib/audit/query";
import { defaultTimelineFilters, type TimelineFirstPage } from "@/components/audit/default-view";
import { AuditTimeline, type TimelineInitial } from "./audit-timeline";

/** The timeline's page size (AuditEventList's default). */
const TIMELINE_PAGE_SIZE = 50;

export const metadata: Metadata = { title: "Audit" };

/** The default view's first page, read now (undefined on failure: the list's own fetch then shows the error). */
function defaultViewFirstPage(principal: Principal): Promise<TimelineFirstPage | undefined> {
  const anchor = Date.now();
  return queryAuditEvents(principal, defaultTimelineFilters(anchor), { limit: TIMELINE_PAGE_SIZE }).then(
    (page) => ({ anchor, page }),
    () => undefined,
  );
}

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
  // The default view's first rows come with the page (one browser round trip less); a filtered link fetches its own.
  const first = Object.values(initial).some(Boolean) ? undefined : await defaultViewFirstPage(principal);
  return <AuditTimeline key={JSON.stringify(initial)} initial={initial} first={first} />;
}
