"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { DateTime } from "@/components/ui/date-time";
import { Skeleton } from "@/components/ui/skeleton";
import {
  accessLabel,
  eventKeyIds,
  filterParams,
  formatTime,
  getJson,
  isAccessDenied,
  principalLabel,
  type AuditEventPage,
  type AuditEventView,
  type TimelineFilters,
} from "./client";
import { AuditEventDialog } from "./event-dialog";

export const auditEventsKey = (filters: TimelineFilters, limit: number) => ["audit-events", filterParams(filters).toString(), limit] as const;

/**
 * Events matching `filters`, newest first, loading more as the end of the
 * list scrolls into view (or on "Load more"). Errors are highlighted; a row
 * opens the event's details.
 */
export function AuditEventList({
  filters,
  limit = 50,
  compact,
  label = "Audit events",
  emptyText = "No events match these filters.",
  initialPage,
}: {
  filters: TimelineFilters;
  /** The first page as the server read it for these filters (rendered with the page, no fetch). */
  initialPage?: AuditEventPage;
  limit?: number;
  /** Hides the key column (a key's own activity). */
  compact?: boolean;
  label?: string;
  emptyText?: string;
}) {
  const [selected, setSelected] = useState<AuditEventView | null>(null);
  const events = useInfiniteQuery({
    queryKey: auditEventsKey(filters, limit),
    queryFn: ({ pageParam, signal }) => {
      const p = filterParams(filters);
      p.set("limit", String(limit));
      if (pageParam) p.set("cursor", pageParam);
      return getJson<AuditEventPage>(`/api/audit/events?${p}`, { signal });
    },
    initialPageParam: "",
    initialData: initialPage ? { pages: [initialPage], pageParams: [""] } : undefined,
    getNextPageParam: (last) => last.nextCursor,
    retry: (n, e) => !isAccessDenied(e) && n < 1,
  });

  // Infinite scroll: fetch the next page when the sentinel nears the viewport.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = events;
  // A free-text search that stopped at its row budget continues only on request ("Search further"):
  // scrolling must not turn one bounded request into a scan of the whole trail.
  const searchedBackTo = events.data?.pages.at(-1)?.searchedBackTo;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage || searchedBackTo || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, searchedBackTo]);

  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  const aliases = Object.assign({}, ...(events.data?.pages.map((p) => p.aliases ?? {}) ?? [])) as Record<string, string[]>;
  const columns = compact ? 5 : 6;

  return (
    <div className="flex flex-col gap-2">
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-label={label} aria-busy={events.isFetching || undefined}>
          <thead className="border-b border-slate-200 text-xs text-slate-600 uppercase dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-4 py-3 xl:whitespace-nowrap">
                Time
              </th>
              <th scope="col" className="px-4 py-3">
                Event
              </th>
              <th scope="col" className="px-4 py-3">
                Principal
              </th>
              {!compact && (
                <th scope="col" className="hidden px-4 py-3 lg:table-cell">
                  Key
                </th>
              )}
              {/* From 1280 px: at 1024 px it pushed the Result column out of sight. */}
              <th scope="col" className="hidden px-4 py-3 xl:table-cell">
                Source IP
              </th>
              <th scope="col" className="px-4 py-3">
                Result
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {events.isPending &&
              [0, 1, 2, 3, 4].map((i) => (
                <tr key={i}>
                  <td colSpan={columns} className="px-4 py-3">
                    <Skeleton className="h-5" />
                  </td>
                </tr>
              ))}
            {events.isError && !events.data && (
              <tr>
                <td colSpan={columns} className="px-4 py-6">
                  <div role="alert" className="flex flex-wrap items-center justify-center gap-3 text-center text-red-700 dark:text-red-400">
                    {isAccessDenied(events.error)
                      ? "Only administrators and auditors can read the audit trail."
                      : `The events could not be loaded: ${events.error.message}`}
                    {!isAccessDenied(events.error) && (
                      <Button variant="secondary" size="sm" onClick={() => events.refetch()}>
                        Retry
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            )}
            {events.isSuccess && rows.length === 0 && (
              <tr>
                <td colSpan={columns} className="px-4 py-8 text-center text-slate-600 dark:text-slate-400">
                  {searchedBackTo ? "No match yet in the events searched so far." : emptyText}
                </td>
              </tr>
            )}
            {rows.map((e) => {
              const r = e.record;
              const keys = eventKeyIds(r);
              return (
                <tr
                  key={e.id}
                  data-testid="audit-event-row"
                  data-event-name={r.eventName}
                  data-error={r.errorCode ? "true" : undefined}
                  className={cn(
                    "align-top",
                    r.errorCode ? "bg-red-50/70 dark:bg-red-950/30" : "hover:bg-slate-50 dark:hover:bg-slate-800/40",
                  )}
                >
                  <td className="min-w-28 px-4 py-2.5 text-slate-600 tabular-nums xl:whitespace-nowrap dark:text-slate-400">
                    <DateTime value={r.eventTime} />
                  </td>
                  <td className="px-4 py-2.5">
                    <button
                      type="button"
                      onClick={() => setSelected(e)}
                      aria-label={`${r.eventName} at ${formatTime(r.eventTime)}: show details`}
                      className="rounded text-left font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
                    >
                      {r.eventName}
                    </button>
                    <div className="text-xs text-slate-600 dark:text-slate-400">
                      {accessLabel(r)} · {r.eventSource.replace(".amazonaws.com", "")}
                    </div>
                  </td>
                  <td className="max-w-40 truncate px-4 py-2.5 xl:max-w-56" title={r.userIdentity.arn ?? principalLabel(r)}>
                    {principalLabel(r)}
                  </td>
                  {!compact && (
                    <td className="hidden max-w-44 px-4 py-2.5 lg:table-cell xl:max-w-56" title={keys.map((k) => [...(aliases[k] ?? []), k].join(" ")).join(", ")}>
                      {keys[0] ? (
                        <>
                          {aliases[keys[0]]?.length ? <div className="truncate text-sm">{aliases[keys[0]]!.join(", ")}</div> : null}
                          <div className="truncate font-mono text-xs text-slate-600 dark:text-slate-400">{keys[0]}</div>
                        </>
                      ) : (
                        <span className="text-slate-400">—</span>
                      )}
                    </td>
                  )}
                  <td className="hidden px-4 py-2.5 font-mono text-xs xl:table-cell">{r.sourceIPAddress}</td>
                  <td className="px-4 py-2.5">
                    {r.errorCode ? <Badge tone="red">{r.errorCode}</Badge> : <Badge tone="green">OK</Badge>}
                  </td>
                </tr>
              );
            })}
            {isFetchingNextPage &&
              [0, 1].map((i) => (
                <tr key={`more-${i}`}>
                  <td colSpan={columns} className="px-4 py-3">
                    <Skeleton className="h-5" />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <div ref={sentinel} className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-400">
        <span aria-live="polite" data-testid="audit-list-status">
          {events.isSuccess && !searchedBackTo && `${rows.length} event${rows.length === 1 ? "" : "s"} shown${hasNextPage ? "; more below" : ""}`}
          {events.isSuccess && searchedBackTo && (
            <>
              {rows.length} match{rows.length === 1 ? "" : "es"} so far; searched back to <DateTime value={searchedBackTo} />
            </>
          )}
        </span>
        {events.isError && events.data && (
          <span role="alert" className="text-red-700 dark:text-red-400">
            Loading more failed: {events.error.message}
          </span>
        )}
        {hasNextPage && (
          <Button variant="secondary" size="sm" busy={isFetchingNextPage} onClick={() => fetchNextPage()}>
            {searchedBackTo ? "Search further" : "Load more"}
          </Button>
        )}
      </div>
      <AuditEventDialog event={selected} aliases={aliases} onClose={() => setSelected(null)} />
    </div>
  );
}
