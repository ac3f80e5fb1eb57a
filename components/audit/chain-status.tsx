"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import type { CachedVerifyReport, VerificationProgress } from "@/lib/audit/verify-cache";
import { getJson, isAccessDenied } from "./client";

const PROGRESS_POLL_MS = 500;

/**
 * The hash chain's state. On each visit the check is incremental (each chain
 * resumes from the last signed digest verified before, so only new events
 * are read); "Re-verify everything" re-reads every event, with a progress
 * bar fed by polling the run's status while it runs.
 */
export function ChainStatus() {
  const queryClient = useQueryClient();
  const report = useQuery({
    queryKey: ["audit-verify"],
    queryFn: ({ signal }) => getJson<CachedVerifyReport>("/api/audit/verify", { signal }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (n, e) => !isAccessDenied(e) && n < 1,
  });
  const [runId, setRunId] = useState<string | null>(null);
  const full = useMutation({
    mutationFn: (run: string) => getJson<CachedVerifyReport>(`/api/audit/verify?run=${run}`, { method: "POST" }),
    onMutate: (run) => setRunId(run),
    onSuccess: (r) => queryClient.setQueryData(["audit-verify"], r),
    onSettled: () => setRunId(null),
  });
  const progress = useQuery({
    queryKey: ["audit-verify-progress", runId],
    queryFn: ({ signal }) => getJson<VerificationProgress>(`/api/audit/verify/progress?run=${runId}`, { signal }),
    enabled: !!runId,
    // Only while a full run is in progress (it is an audited read, so no longer than needed).
    refetchInterval: (q) => (q.state.data?.done ? false : PROGRESS_POLL_MS),
    retry: 8,
    retryDelay: PROGRESS_POLL_MS,
  });

  const r = full.data ?? report.data;
  const busy = report.isFetching || full.isPending;
  const details = r
    ? `${r.events} event${r.events === 1 ? "" : "s"} in ${r.chains.length} chain${r.chains.length === 1 ? "" : "s"}, ${r.chains.reduce((n, c) => n + c.digests, 0)} signed digest(s) checked; ${r.eventsRead} read by this ${r.mode} check`
    : undefined;
  const p = progress.data;
  const pct = p && p.total > 0 ? Math.min(100, Math.round((p.read / p.total) * 100)) : 0;

  return (
    <div className="flex flex-col gap-2" data-testid="chain-status">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600 dark:text-slate-400">Chain status:</span>
        <span role="status" aria-live="polite" className="flex flex-wrap items-center gap-2" title={details}>
          {report.isPending && <Badge tone="slate">Verifying…</Badge>}
          {(full.error ?? report.error) && (
            <Badge tone="amber">
              {isAccessDenied(full.error ?? report.error) ? "Not allowed to verify" : `Could not verify: ${(full.error ?? report.error)!.message}`}
            </Badge>
          )}
          {r?.ok && <Badge tone="green">{r.events > 0 ? `Intact up to event #${r.events}` : "Intact (no events yet)"}</Badge>}
          {r && !r.ok && r.firstProblem && (
            <>
              <Badge tone="red">Tampering detected</Badge>
              <span className="text-red-700 dark:text-red-400">
                {r.firstProblem.message} (chain {r.firstProblem.chainId.slice(0, 8)})
              </span>
            </>
          )}
          {r && (
            <span className="text-xs text-slate-600 dark:text-slate-400">
              {r.mode === "full" ? "full check" : `checked ${r.eventsRead} new event${r.eventsRead === 1 ? "" : "s"}`} · <DateTime value={r.verifiedAt} />
            </span>
          )}
        </span>
        <Button variant="secondary" size="sm" busy={report.isFetching} disabled={busy} onClick={() => report.refetch()}>
          {report.isFetching ? "Verifying" : "Verify now"}
        </Button>
        <Button variant="ghost" size="sm" busy={full.isPending} disabled={busy} onClick={() => full.mutate(crypto.randomUUID())}>
          {full.isPending ? "Re-verifying" : "Re-verify everything"}
        </Button>
      </div>
      {full.isPending && (
        <div className="flex items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
          <progress
            className="h-2 w-64 accent-indigo-600"
            max={100}
            value={p ? pct : undefined}
            aria-label="Full re-verification progress"
          />
          <span aria-live="polite">{p ? `${p.read.toLocaleString("en-US")} of ${p.total.toLocaleString("en-US")} events` : "Starting…"}</span>
        </div>
      )}
    </div>
  );
}
