"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { ChainStatus } from "@/components/audit/chain-status";
import { filterParams, fromLocalInput, getJson, keyIdOf, toLocalInput, useDebounced, type TimelineFilters } from "@/components/audit/client";
import { AuditEventList } from "@/components/audit/event-list";
import { ExportDialog } from "@/components/audit/export-dialog";
import { AuditUsageChart, USAGE_RANGES } from "@/components/audit/usage-chart";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";

export interface TimelineInitial {
  keyId?: string;
  principal?: string;
  eventName?: string;
  sourceIp?: string;
  q?: string;
  errorsOnly?: boolean;
}

const RANGES = {
  "15m": { label: "Last 15 minutes", span: 15 * 60_000 },
  "1h": { label: "Last hour", span: 3_600_000 },
  "24h": { label: "Last 24 hours", span: 86_400_000 },
  "7d": { label: "Last 7 days", span: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", span: 30 * 86_400_000 },
  all: { label: "All time", span: null },
  custom: { label: "Custom range", span: null },
} as const;
type RangeId = keyof typeof RANGES;

export function AuditTimeline({ initial }: { initial: TimelineInitial }) {
  const queryClient = useQueryClient();
  const hasInitial = Object.values(initial).some(Boolean);
  const [range, setRange] = useState<RangeId>(hasInitial ? "all" : "24h");
  // Preset ranges count back from a fixed moment, so loaded pages stay stable until "Refresh".
  const [anchor, setAnchor] = useState(() => Date.now());
  const [customFrom, setCustomFrom] = useState("");
  const [customTo, setCustomTo] = useState("");
  const [q, setQ] = useState(initial.q ?? "");
  const [eventName, setEventName] = useState(initial.eventName ?? "");
  const [key, setKey] = useState(initial.keyId ?? "");
  const [principal, setPrincipal] = useState(initial.principal ?? "");
  const [sourceIp, setSourceIp] = useState(initial.sourceIp ?? "");
  const [access, setAccess] = useState<"any" | "read" | "write">("any");
  const [errorsOnly, setErrorsOnly] = useState(!!initial.errorsOnly);
  const [exporting, setExporting] = useState(false);
  const namesListId = useId();
  const errorsId = useId();

  // Typed filters apply once typing pauses (debounced as one string, so the value is stable).
  const typed = useDebounced(
    JSON.stringify({ q: q.trim(), eventName: eventName.trim(), key: key.trim(), principal: principal.trim(), sourceIp: sourceIp.trim() }),
    300,
  );
  const text = useMemo(() => JSON.parse(typed) as { q: string; eventName: string; key: string; principal: string; sourceIp: string }, [typed]);
  const keyError = text.key && !keyIdOf(text.key) ? "Enter a key ID or a key ARN" : undefined;

  const span = RANGES[range].span;
  const from = span !== null ? new Date(anchor - span).toISOString() : range === "custom" ? fromLocalInput(customFrom) : undefined;
  const to = range === "custom" ? fromLocalInput(customTo) : undefined;
  const rangeError = range === "custom" && from && to && from > to ? "The start must be before the end" : undefined;

  const filters: TimelineFilters = useMemo(
    () => ({
      from,
      to: rangeError ? undefined : to,
      eventName: text.eventName || undefined,
      keyId: keyError ? undefined : keyIdOf(text.key),
      principal: text.principal || undefined,
      sourceIp: text.sourceIp || undefined,
      errorsOnly: errorsOnly || undefined,
      readOnly: access === "any" ? undefined : access === "read",
      q: text.q || undefined,
    }),
    [from, to, rangeError, text, keyError, errorsOnly, access],
  );

  const names = useQuery({
    queryKey: ["audit-event-names"],
    queryFn: () => getJson<string[]>("/api/audit/event-names"),
    staleTime: 60_000,
  });

  const active = filterParams({ ...filters, from: undefined, to: undefined }).toString() !== "" || range !== "24h";
  const clear = () => {
    setRange("24h");
    setAnchor(Date.now());
    setQ("");
    setEventName("");
    setKey("");
    setPrincipal("");
    setSourceIp("");
    setAccess("any");
    setErrorsOnly(false);
    setCustomFrom("");
    setCustomTo("");
  };
  const refresh = () => {
    setAnchor(Date.now());
    void queryClient.invalidateQueries({ queryKey: ["audit-events"] });
    void queryClient.invalidateQueries({ queryKey: ["audit-usage"] });
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3 lg:flex-row lg:items-start lg:justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Audit</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Every call to Keyhold, allowed or denied, from the console, the API and the CLI.</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="secondary" onClick={refresh}>
            Refresh
          </Button>
          <Button onClick={() => setExporting(true)}>Export</Button>
          <a
            href="/api/audit/public-key"
            download
            className="rounded-md px-2 py-2 text-sm text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
          >
            Download signing public key
          </a>
        </div>
      </div>

      <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <ChainStatus />
      </div>

      <form
        role="search"
        aria-label="Filter events"
        onSubmit={(e) => e.preventDefault()}
        className="grid grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4 dark:border-slate-800 dark:bg-slate-900"
      >
        <div className="sm:col-span-2">
          <Field label="Search" hint="Matches any text in the event record">
            {(p) => <Input {...p} type="search" value={q} maxLength={200} placeholder="e.g. an alias, a request ID…" onChange={(e) => setQ(e.target.value)} />}
          </Field>
        </div>
        <Field label="Time range">
          {(p) => (
            <Select
              {...p}
              value={range}
              onChange={(e) => {
                const next = e.target.value as RangeId;
                if (next === "custom" && !customFrom) {
                  setCustomFrom(toLocalInput(new Date(Date.now() - 86_400_000)));
                  setCustomTo(toLocalInput(new Date(Date.now() + 60_000)));
                }
                setRange(next);
                setAnchor(Date.now());
              }}
            >
              {Object.entries(RANGES).map(([id, r]) => (
                <option key={id} value={id}>
                  {r.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Access">
          {(p) => (
            <Select {...p} value={access} onChange={(e) => setAccess(e.target.value as typeof access)}>
              <option value="any">Read and write</option>
              <option value="read">Read-only</option>
              <option value="write">Write</option>
            </Select>
          )}
        </Field>
        {range === "custom" && (
          <>
            <Field label="From" error={rangeError}>
              {(p) => <Input {...p} type="datetime-local" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} />}
            </Field>
            <Field label="To">
              {(p) => <Input {...p} type="datetime-local" value={customTo} onChange={(e) => setCustomTo(e.target.value)} />}
            </Field>
          </>
        )}
        <Field label="Event name">
          {(p) => (
            <>
              <Input {...p} value={eventName} list={namesListId} autoComplete="off" placeholder="e.g. Decrypt" onChange={(e) => setEventName(e.target.value)} />
              <datalist id={namesListId}>
                {names.data?.map((n) => (
                  <option key={n} value={n} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Key" error={keyError}>
          {(p) => <Input {...p} value={key} autoComplete="off" placeholder="Key ID or ARN" onChange={(e) => setKey(e.target.value)} />}
        </Field>
        <Field label="Principal">
          {(p) => <Input {...p} value={principal} autoComplete="off" placeholder="Username or ARN" onChange={(e) => setPrincipal(e.target.value)} />}
        </Field>
        <Field label="Source IP">
          {(p) => <Input {...p} value={sourceIp} autoComplete="off" placeholder="e.g. 10.0.0.12" onChange={(e) => setSourceIp(e.target.value)} />}
        </Field>
        <div className="flex items-end justify-between gap-3 sm:col-span-2 lg:col-span-4">
          <label htmlFor={errorsId} className="flex items-center gap-2 text-sm">
            <input id={errorsId} type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} className="size-4 accent-indigo-600" />
            Errors only
          </label>
          <Button type="button" variant="ghost" size="sm" onClick={clear} disabled={!active}>
            Clear filters
          </Button>
        </div>
      </form>

      {filters.keyId && (
        <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <AuditUsageChart title="Calls to this key" keyId={filters.keyId} range={USAGE_RANGES["7d"]!} />
        </div>
      )}

      <AuditEventList filters={filters} label="Audit events" />

      <ExportDialog open={exporting} onClose={() => setExporting(false)} defaultFrom={from ? new Date(from) : undefined} />
    </div>
  );
}
