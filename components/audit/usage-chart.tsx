"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { getJson, isAccessDenied, type AuditUsage, type UsageBucket } from "./client";
import { formatAxis, formatDateTime } from "@/lib/console/dates";
import { useUtc } from "@/components/ui/date-time";

function bucketLabel(iso: string, bucket: UsageBucket, utc: boolean): string {
  return bucket === "minute" ? formatAxis(iso, "short", utc) : bucket === "day" ? formatAxis(iso, "day", utc) : formatDateTime(iso, utc);
}

/**
 * Bars of calls per bucket, the failed part of each bar in red. Plain SVG
 * (no chart library); a screen-reader table lists the non-empty buckets.
 */
export function UsageChart({ usage, title, height = 140 }: { usage: AuditUsage; title: string; height?: number }) {
  const { buckets, bucket } = usage;
  const utc = useUtc();
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const total = buckets.reduce((n, b) => n + b.total, 0);
  const errors = buckets.reduce((n, b) => n + b.errors, 0);
  const top = useMemo(() => {
    const by = new Map<string, { count: number; errors: number }>();
    for (const b of buckets)
      for (const e of b.events) {
        const t = by.get(e.eventName) ?? { count: 0, errors: 0 };
        t.count += e.count;
        t.errors += e.errors;
        by.set(e.eventName, t);
      }
    return [...by].sort((a, b) => b[1].count - a[1].count).slice(0, 6);
  }, [buckets]);

  const W = 600;
  const H = height;
  const pad = { top: 8, bottom: 18, left: 30 };
  const innerH = H - pad.top - pad.bottom;
  const slot = (W - pad.left) / Math.max(1, buckets.length);
  const barW = Math.max(1, slot * 0.75);
  const y = (v: number) => pad.top + innerH - (v / max) * innerH;
  const summary = `${title}: ${total} call${total === 1 ? "" : "s"}, ${errors} failed, ${bucketLabel(usage.from, bucket, utc)} to ${bucketLabel(usage.to, bucket, utc)}, per ${bucket}.`;
  const nonEmpty = buckets.filter((b) => b.total > 0);

  return (
    <figure className="flex flex-col gap-2" data-testid="usage-chart">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{title}</span>
        <span className="text-xs text-slate-600 dark:text-slate-400">
          {total} call{total === 1 ? "" : "s"}
          {errors > 0 && <span className="text-red-600 dark:text-red-400"> · {errors} failed</span>} · per {bucket}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto max-h-56 w-full" role="img" aria-label={summary}>
        <line x1={pad.left} x2={W} y1={y(0)} y2={y(0)} className="stroke-slate-300 dark:stroke-slate-700" strokeWidth={1} />
        <line x1={pad.left} x2={W} y1={y(max)} y2={y(max)} className="stroke-slate-200 dark:stroke-slate-800" strokeDasharray="3 3" strokeWidth={1} />
        <text x={pad.left - 4} y={y(max) + 4} textAnchor="end" className="fill-slate-500 text-[10px] dark:fill-slate-400">
          {max}
        </text>
        <text x={pad.left - 4} y={y(0)} textAnchor="end" className="fill-slate-500 text-[10px] dark:fill-slate-400">
          0
        </text>
        {buckets.map((b, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          const ok = b.total - b.errors;
          return (
            <g key={b.time}>
              <title>{`${bucketLabel(b.time, bucket, utc)}: ${b.total} call${b.total === 1 ? "" : "s"}${b.errors ? `, ${b.errors} failed` : ""}`}</title>
              {/* a transparent full-height target so small bars still show their tooltip */}
              <rect x={pad.left + i * slot} y={pad.top} width={slot} height={innerH} className="fill-transparent" />
              {ok > 0 && <rect x={x} y={y(b.total)} width={barW} height={y(b.errors) - y(b.total)} className="fill-indigo-500 dark:fill-indigo-400" />}
              {b.errors > 0 && <rect x={x} y={y(b.errors)} width={barW} height={y(0) - y(b.errors)} className="fill-red-500 dark:fill-red-400" />}
            </g>
          );
        })}
        {buckets.length > 0 && (
          <>
            <text x={pad.left} y={H - 4} className="fill-slate-500 text-[10px] dark:fill-slate-400">
              {bucketLabel(buckets[0]!.time, bucket, utc)}
            </text>
            <text x={W} y={H - 4} textAnchor="end" className="fill-slate-500 text-[10px] dark:fill-slate-400">
              {bucketLabel(buckets[buckets.length - 1]!.time, bucket, utc)}
            </text>
          </>
        )}
      </svg>
      {top.length > 0 && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label="Most frequent events">
          {top.map(([name, t]) => (
            <li key={name}>
              <span className="font-medium text-slate-800 dark:text-slate-200">{name}</span> {t.count}
              {t.errors > 0 && <span className="text-red-600 dark:text-red-400"> ({t.errors} failed)</span>}
            </li>
          ))}
        </ul>
      )}
      {/* sr-only on a div: a table ignores the 1 px width and overflow, and stuck out of the page sideways. */}
      <div className="sr-only">
        <table>
          <caption>{summary}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Calls</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody>
            {nonEmpty.slice(-60).map((b) => (
              <tr key={b.time}>
                <td>{bucketLabel(b.time, bucket, utc)}</td>
                <td>{b.total}</td>
                <td>{b.errors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export interface UsageRange {
  /** Milliseconds back from now. */
  span: number;
  bucket: UsageBucket;
}

export const USAGE_RANGES: Record<string, UsageRange & { label: string }> = {
  "1h": { label: "Last hour", span: 3_600_000, bucket: "minute" },
  "24h": { label: "Last 24 hours", span: 86_400_000, bucket: "hour" },
  "7d": { label: "Last 7 days", span: 7 * 86_400_000, bucket: "hour" },
  "30d": { label: "Last 30 days", span: 30 * 86_400_000, bucket: "day" },
};

/**
 * Usage of the trail (or one key) over a range back from now, refetched when
 * the window regains focus (no polling: the reads are audited). A key's usage
 * counts what used the key, not the console reads that showed it.
 */
export function useAuditUsage({ keyId, span, bucket, refetchInterval, initialData }: UsageRange & { keyId?: string; refetchInterval?: number; initialData?: AuditUsage }) {
  return useQuery({
    // Read with the page on the server (the dashboard): no round trip after hydration.
    initialData,
    queryKey: ["audit-usage", keyId ?? "", span, bucket],
    queryFn: ({ signal }) => {
      const to = new Date();
      const p = new URLSearchParams({ bucket, from: new Date(to.getTime() - span).toISOString(), to: to.toISOString() });
      if (keyId) {
        p.set("keyId", keyId);
        p.set("hideConsoleViews", "true");
      }
      return getJson<AuditUsage>(`/api/audit/usage?${p}`, { signal });
    },
    refetchInterval,
    retry: (n, e) => !isAccessDenied(e) && n < 1,
  });
}

/** A usage chart that loads itself: skeleton, error with retry, then the bars. */
export function AuditUsageChart({ title, keyId, range, initialData }: { title: string; keyId?: string; range: UsageRange; initialData?: AuditUsage }) {
  const usage = useAuditUsage({ keyId, ...range, initialData });
  if (usage.isPending)
    return (
      <div className="flex flex-col gap-2" aria-busy aria-label={`${title} loading`}>
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-36" />
      </div>
    );
  if (usage.isError)
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-red-200 p-4 text-sm text-red-700 dark:border-red-900 dark:text-red-400">
        {isAccessDenied(usage.error) ? "Only administrators and auditors can see usage from the audit trail." : `${title} could not be loaded: ${usage.error.message}`}
        {!isAccessDenied(usage.error) && (
          <Button variant="secondary" size="sm" onClick={() => usage.refetch()}>
            Retry
          </Button>
        )}
      </div>
    );
  return <UsageChart usage={usage.data} title={title} />;
}
