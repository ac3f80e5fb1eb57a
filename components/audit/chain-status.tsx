"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { getJson, isAccessDenied, type VerifyReport } from "./client";

/**
 * The hash chain's state, from the verifier (GET /api/audit/verify): intact up
 * to which event, or the first problem found. "Verify now" runs it again.
 */
export function ChainStatus() {
  const report = useQuery({
    queryKey: ["audit-verify"],
    queryFn: ({ signal }) => getJson<VerifyReport>("/api/audit/verify", { signal }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (n, e) => !isAccessDenied(e) && n < 1,
  });
  const r = report.data;
  const checking = report.isFetching;
  const details = r
    ? `${r.events} event${r.events === 1 ? "" : "s"} in ${r.chains.length} chain${r.chains.length === 1 ? "" : "s"}, ${r.chains.reduce((n, c) => n + c.digests, 0)} signed digest(s) checked`
    : undefined;

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="chain-status">
      <span className="text-slate-500 dark:text-slate-400">Chain status:</span>
      <span role="status" aria-live="polite" className="flex flex-wrap items-center gap-2" title={details}>
        {report.isPending && <Badge tone="slate">Verifying…</Badge>}
        {report.isError && (
          <Badge tone="amber">{isAccessDenied(report.error) ? "Not allowed to verify" : `Could not verify: ${report.error.message}`}</Badge>
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
      </span>
      <Button variant="secondary" size="sm" busy={checking} onClick={() => report.refetch()}>
        {checking ? "Verifying" : "Verify now"}
      </Button>
    </div>
  );
}
