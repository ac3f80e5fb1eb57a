// The audit timeline's default view (the last 24 hours, console page reads
// hidden), shared by the page, which reads its first rows on the server, and
// the timeline, which uses them while it still shows exactly that view.
import type { AuditEventPage } from "@/lib/audit/query";

export const DEFAULT_VIEW_SPAN_MS = 86_400_000;

/** The default view as the server read it: its moment and first page. */
export interface TimelineFirstPage {
  anchor: number;
  page: AuditEventPage;
}

/** The default view's filters, counted back from `anchor`. */
export const defaultTimelineFilters = (anchor: number) => ({ from: new Date(anchor - DEFAULT_VIEW_SPAN_MS).toISOString(), hideConsoleViews: true as const });
