"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { ChainStatus } from "@/components/audit/chain-status";
import { filterParams, fromLocalInput, getJson, isAliasRef, keyIdOf, toLocalInput, useDebounced, type TimelineFilters } from "@/components/audit/client";
import { AuditEventList } from "@/components/audit/event-list";
import { ExportDialog } from "@/components/audit/export-dialog";
import { AuditSummaryTable } from "@/components/audit/summary-table";
import { AuditUsageChart, USAGE_RANGES } from "@/components/audit/usage-chart";
import { Button } from "@/components/ui/button";
import { UtcToggle } from "@/components/ui/date-time";
import { Field, Input, Select } from "@/components/ui/field";
import type { FilterSuggestions } from "@/lib/audit/key-names";
import type { AuditEventPage } from "@/lib/audit/query";
import { defaultTimelineFilters, type TimelineFirstPage } from "@/components/audit/default-view";

export interface TimelineInitial {
  keyId?: string;
  principal?: string;
  eventName?: string;
  sourceIp?: string;
  q?: string;
  errorsOnly?: boolean;
  outcome?: string;
  /** Show the console's own page reads (hidden by default). */
  views?: boolean;
  range?: string;
}

const OUTCOMES = {
  any: "Any outcome",
  allowed: "Allowed",
  denied: "Denied (AccessDenied)",
  failed: "Failed (other errors)",
  errors: "Denied or failed",
} as const;
type OutcomeId = keyof typeof OUTCOMES;
const outcomeOf = (v: string | undefined): OutcomeId | undefined => (v && v in OUTCOMES ? (v as OutcomeId) : undefined);

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

export function AuditTimeline({ initial, first }: { initial: TimelineInitial; first?: TimelineFirstPage }) {
  const queryClient = useQueryClient();
  const hasInitial = Object.values(initial).some(Boolean);
  const [range, setRange] = useState<RangeId>(initial.range && initial.range in RANGES ? (initial.range as RangeId) : hasInitial ? "all" : "24h");
  // Preset ranges count back from a fixed moment, so loaded pages stay stable until "Refresh";
  // the first one is the server's, whose first page came with the page.
  const [anchor, setAnchor] = useState(() => first?.anchor ?? Date.now());
  const [customFrom, setCustomFrom] = useState("");
  const [customTo, setCustomTo] = useState("");
  const [q, setQ] = useState(initial.q ?? "");
  const [eventName, setEventName] = useState(initial.eventName ?? "");
  const [key, setKey] = useState(initial.keyId ?? "");
  const [principal, setPrincipal] = useState(initial.principal ?? "");
  const [sourceIp, setSourceIp] = useState(initial.sourceIp ?? "");
  const [access, setAccess] = useState<"any" | "read" | "write">("any");
  const [outcome, setOutcome] = useState<OutcomeId>(outcomeOf(initial.outcome) ?? (initial.errorsOnly ? "errors" : "any"));
  const [showViews, setShowViews] = useState(!!initial.views);
  const [exporting, setExporting] = useState(false);
  const namesListId = useId();
  const keysListId = useId();
  const principalsListId = useId();
  const viewsId = useId();

  // Typed filters apply once typing pauses (debounced as one string, so the value is stable).
  const typed = useDebounced(
    JSON.stringify({ q: q.trim(), eventName: eventName.trim(), key: key.trim(), principal: principal.trim(), sourceIp: sourceIp.trim() }),
    300,
  );
  const text = useMemo(() => JSON.parse(typed) as { q: string; eventName: string; key: string; principal: string; sourceIp: string }, [typed]);
  const keyRef = keyIdOf(text.key) ?? (isAliasRef(text.key) ? text.key : undefined);


  const span = RANGES[range].span;
  const from = span !== null ? new Date(anchor - span).toISOString() : range === "custom" ? fromLocalInput(customFrom) : undefined;
  const to = range === "custom" ? fromLocalInput(customTo) : undefined;
  const rangeError = range === "custom" && from && to && from > to ? "The start must be before the end" : undefined;

  const filters: TimelineFilters = useMemo(
    () => ({
      from,
      to: rangeError ? undefined : to,
      eventName: text.eventName || undefined,
      keyId: keyRef,
      principal: text.principal || undefined,
      sourceIp: text.sourceIp || undefined,
      errorsOnly: outcome === "errors" || undefined,
      outcome: outcome === "any" || outcome === "errors" ? undefined : outcome,
      readOnly: access === "any" ? undefined : access === "read",
      hideConsoleViews: showViews ? undefined : true,
      q: text.q || undefined,
    }),
    [from, to, rangeError, text, keyRef, outcome, showViews, access],
  );

  // Autocomplete: aliases and key IDs for Key, usernames for Principal (while typing pauses).
  const keySuggestions = useQuery({
    queryKey: ["audit-suggestions", "key", text.key],
    queryFn: ({ signal }) => getJson<FilterSuggestions>(`/api/audit/suggestions?${new URLSearchParams({ key: text.key })}`, { signal }),
    enabled: text.key.length > 0 && !keyIdOf(text.key),
    staleTime: 60_000,
  });
  // Typing a prefix is fine while it still matches something.
  const keyError =
    text.key && !keyRef && keySuggestions.isSuccess && keySuggestions.data.keys.length === 0 ? "No alias or key ID matches: enter a key ID, key ARN or alias/name" : undefined;
  const principalSuggestions = useQuery({
    queryKey: ["audit-suggestions", "principal", text.principal],
    queryFn: ({ signal }) => getJson<FilterSuggestions>(`/api/audit/suggestions?${new URLSearchParams({ principal: text.principal })}`, { signal }),
    enabled: text.principal.length > 0 && !text.principal.startsWith("arn:"),
    staleTime: 60_000,
  });

  const names = useQuery({
    queryKey: ["audit-event-names"],
    queryFn: () => getJson<string[]>("/api/audit/event-names"),
    staleTime: 60_000,
  });

  const active = filterParams({ ...filters, from: undefined, to: undefined, hideConsoleViews: undefined }).toString() !== "" || showViews || range !== "24h";
  const clear = () => {
    setRange("24h");
    setAnchor(Date.now());
    setQ("");
    setEventName("");
    setKey("");
    setPrincipal("");
    setSourceIp("");
    setAccess("any");
    setOutcome("any");
    setShowViews(false);
    setCustomFrom("");
    setCustomTo("");
  };
  const refresh = () => {
    setAnchor(Date.now());
    void queryClient.invalidateQueries({ queryKey: ["audit-events"] });
    void queryClient.invalidateQueries({ queryKey: ["audit-usage"] });
    void queryClient.invalidateQueries({ queryKey: ["audit-summary"] });
  };
  const pick = (p: string, o: "allowed" | "denied" | "failed") => {
    setPrincipal(p);
    setOutcome(o);
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3 lg:flex-row lg:items-start lg:justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Audit</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Every call to Keyhold, allowed or denied, from the console, the API and the CLI.</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <UtcToggle />
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
              {/* Short: a longer label was cut in the select at 1024 px. */}
              <option value="any">All calls</option>
              <option value="read">Data access (read-only calls)</option>
              <option value="write">Changes</option>
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
          {(p) => (
            <>
              <Input {...p} value={key} list={keysListId} autoComplete="off" placeholder="Alias, key ID or ARN" onChange={(e) => setKey(e.target.value)} />
              <datalist id={keysListId} data-testid="key-suggestions">
                {keySuggestions.data?.keys.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.value === k.keyId ? undefined : k.keyId}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Principal">
          {(p) => (
            <>
              <Input {...p} value={principal} list={principalsListId} autoComplete="off" placeholder="Username or ARN" onChange={(e) => setPrincipal(e.target.value)} />
              <datalist id={principalsListId} data-testid="principal-suggestions">
                {principalSuggestions.data?.principals.map((u) => (
                  <option key={u.value} value={u.value} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Outcome">
          {(p) => (
            <Select {...p} value={outcome} onChange={(e) => setOutcome(e.target.value as OutcomeId)}>
              {Object.entries(OUTCOMES).map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Source IP">
          {(p) => <Input {...p} value={sourceIp} autoComplete="off" placeholder="e.g. 10.0.0.12" onChange={(e) => setSourceIp(e.target.value)} />}
        </Field>
        <div className="flex items-end justify-between gap-3 sm:col-span-2 lg:col-span-4">
          <label htmlFor={viewsId} className="flex items-center gap-2 text-sm">
            <input id={viewsId} type="checkbox" checked={showViews} onChange={(e) => setShowViews(e.target.checked)} className="size-4 accent-indigo-600" />
            Show console page views (the console&apos;s and auditors&apos; own reads)
          </label>
          <Button type="button" variant="ghost" size="sm" onClick={clear} disabled={!active}>
            Clear filters
          </Button>
        </div>
      </form>

      {filters.keyId && (
        <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <AuditUsageChart title={`Uses of ${filters.keyId}`} keyId={filters.keyId} range={USAGE_RANGES["7d"]!} />
        </div>
      )}

      <AuditSummaryTable filters={filters} onPick={pick} />

      <AuditEventList filters={filters} label="Audit events" initialPage={firstPageFor(first, filters)} />

      <ExportDialog open={exporting} onClose={() => setExporting(false)} defaultFrom={from ? new Date(from) : undefined} />
    </div>
  );
}

/** The server's first page, while the timeline still shows exactly the view it was read for. */
function firstPageFor(first: TimelineFirstPage | undefined, filters: TimelineFilters): AuditEventPage | undefined {
  if (!first) return undefined;
  return filterParams(filters).toString() === filterParams(defaultTimelineFilters(first.anchor)).toString() ? first.page : undefined;
}
