"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { Select } from "@/components/ui/field";
import { keyIdOf } from "./client";
import { AuditEventList } from "./event-list";
import { AuditUsageChart, USAGE_RANGES } from "./usage-chart";

/**
 * One key's activity for its detail page: calls over time (failures in red)
 * and its events, newest first. Needs an administrator or auditor; others see
 * why it is empty.
 */
export function KeyActivity({ keyId }: { keyId: string }) {
  const id = keyIdOf(keyId) ?? keyId;
  const [range, setRange] = useState<keyof typeof USAGE_RANGES>("24h");
  const [errorsOnly, setErrorsOnly] = useState(false);
  // The list starts at a fixed moment (set when the period changes), so its pages stay stable.
  const [since, setSince] = useState(() => new Date(Date.now() - USAGE_RANGES["24h"]!.span).toISOString());
  const rangeId = useId();
  const errorsId = useId();
  const r = USAGE_RANGES[range]!;
  return (
    <section aria-label="Key activity" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-wrap items-end gap-4">
          <div className="flex flex-col gap-1">
            <label htmlFor={rangeId} className="text-sm font-medium text-slate-700 dark:text-slate-300">
              Period
            </label>
            <Select id={rangeId} value={range} onChange={(e) => {
                const next = e.target.value as keyof typeof USAGE_RANGES;
                setRange(next);
                setSince(new Date(Date.now() - USAGE_RANGES[next]!.span).toISOString());
              }} className="w-44 py-1.5">
              {Object.entries(USAGE_RANGES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.label}
                </option>
              ))}
            </Select>
          </div>
          <label htmlFor={errorsId} className="flex items-center gap-2 pb-2 text-sm">
            <input id={errorsId} type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} className="size-4 accent-indigo-600" />
            Errors only
          </label>
        </div>
        <Link
          href={`/audit?keyId=${encodeURIComponent(id)}`}
          className="pb-2 text-sm text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
        >
          Open in the audit timeline
        </Link>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <AuditUsageChart title="Calls to this key" keyId={id} range={r} />
      </div>
      <AuditEventList
        filters={{ keyId: id, from: since, errorsOnly, hideConsoleViews: true }}
        compact
        limit={25}
        label="Events of this key"
        emptyText={errorsOnly ? "No failed calls to this key in this period." : "No calls used this key in this period (console page views are in the audit timeline)."}
      />
    </section>
  );
}
