"use client";

import type { AuditUsage } from "./client";
import { AuditUsageChart, USAGE_RANGES } from "./usage-chart";

/**
 * For the dashboard: calls per minute over the last hour (refetched when the window regains focus).
 * `initialData`: the last hour as the page read it on the server.
 */
export function CallsPerMinute({ initialData }: { initialData?: AuditUsage }) {
  return (
    <section
      aria-label="Calls per minute"
      className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <AuditUsageChart title="Calls per minute (last hour)" range={USAGE_RANGES["1h"]!} initialData={initialData} />
    </section>
  );
}
