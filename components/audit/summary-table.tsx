"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Skeleton } from "@/components/ui/skeleton";
import type { AuditSummary } from "@/lib/audit/summary";
import { filterParams, getJson, isAccessDenied, type TimelineFilters } from "./client";

type Outcome = AuditSummary["rows"][number]["outcome"];
const OUTCOME_BADGE: Record<Outcome, { tone: "green" | "red" | "amber"; label: string }> = {
  allowed: { tone: "green", label: "Allowed" },
  denied: { tone: "red", label: "Denied" },
  failed: { tone: "amber", label: "Failed" },
};

/** "user/alice" from an IAM ARN; anything else as it is. */
const shortPrincipal = (p: string) => /:(user\/.+|root)$/.exec(p)?.[1] ?? p;

/**
 * Who made the calls the timeline's filters match, and with what outcome
 * (allowed / denied / failed): one row per principal and outcome with the
 * count and the last time. A row's button narrows the timeline to it.
 */
export function AuditSummaryTable({ filters, onPick }: { filters: TimelineFilters; onPick: (principal: string, outcome: Outcome) => void }) {
  const params = filterParams(filters).toString();
  const summary = useQuery({
    queryKey: ["audit-summary", params],
    queryFn: ({ signal }) => getJson<AuditSummary>(`/api/audit/summary?${params}`, { signal }),
    retry: (n, e) => !isAccessDenied(e) && n < 1,
  });
  const s = summary.data;
  const denied = s?.rows.filter((r) => r.outcome === "denied").reduce((n, r) => n + r.count, 0) ?? 0;
  return (
    <section aria-labelledby="audit-summary-title" data-testid="audit-summary" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="audit-summary-title" className="text-base font-semibold">
          Who made these calls
        </h2>
        {s && (
          <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
            {s.total.toLocaleString("en-US")} event{s.total === 1 ? "" : "s"}
            {" · "}
            <span className={denied ? "font-medium text-red-700 dark:text-red-400" : undefined}>
              {denied ? `${denied.toLocaleString("en-US")} denied` : "none denied"}
            </span>
            {s.searchedBackTo && (
              <>
                {" · "}
                <span data-testid="audit-summary-searched-back-to">
                  search read back to <DateTime value={s.searchedBackTo} />
                </span>
              </>
            )}
          </p>
        )}
      </div>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-label="Calls by principal and outcome" aria-busy={summary.isFetching || undefined}>
          <thead className="border-b border-slate-200 text-xs text-slate-600 uppercase dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-4 py-2">Principal</th>
              <th scope="col" className="px-4 py-2">Outcome</th>
              <th scope="col" className="px-4 py-2 text-right">Calls</th>
              <th scope="col" className="px-4 py-2">Last call</th>
              <th scope="col" className="px-4 py-2"><span className="sr-only">Show in timeline</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {summary.isPending && (
              <tr>
                <td colSpan={5} className="px-4 py-3">
                  <Skeleton className="h-5" />
                </td>
              </tr>
            )}
            {summary.isError && (
              <tr>
                <td colSpan={5} className="px-4 py-3">
                  <span role="alert" className="text-red-700 dark:text-red-400">
                    {isAccessDenied(summary.error) ? "Only administrators and auditors can read the audit trail." : `The summary could not be loaded: ${summary.error.message}`}
                  </span>
                </td>
              </tr>
            )}
            {s && s.rows.length === 0 && (
              <tr>
                <td colSpan={5} className="px-4 py-4 text-center text-slate-600 dark:text-slate-400">
                  No calls match these filters.
                </td>
              </tr>
            )}
            {s?.rows.map((r) => (
              <tr key={`${r.principal}|${r.outcome}`} data-testid="audit-summary-row" data-outcome={r.outcome}>
                <td className="max-w-72 truncate px-4 py-2" title={r.principal}>
                  {shortPrincipal(r.principal)}
                </td>
                <td className="px-4 py-2">
                  <span className="flex flex-wrap items-center gap-1">
                    <Badge tone={OUTCOME_BADGE[r.outcome].tone}>{OUTCOME_BADGE[r.outcome].label}</Badge>
                    {r.outcome === "failed" && <span className="text-xs text-slate-600 dark:text-slate-400">{r.errorCodes.join(", ")}</span>}
                  </span>
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{r.count.toLocaleString("en-US")}</td>
                <td className="px-4 py-2 whitespace-nowrap text-slate-600 dark:text-slate-400">
                  <DateTime value={r.lastTime} />
                </td>
                <td className="px-4 py-2 text-right">
                  <Button variant="ghost" size="sm" onClick={() => onPick(r.principal, r.outcome)} aria-label={`Show ${OUTCOME_BADGE[r.outcome].label.toLowerCase()} calls by ${shortPrincipal(r.principal)}`}>
                    Show
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s && s.otherEvents > 0 && (
        <p className="text-xs text-slate-600 dark:text-slate-400">{s.otherEvents.toLocaleString("en-US")} more events from other principals: narrow the filters to see them.</p>
      )}
    </section>
  );
}
