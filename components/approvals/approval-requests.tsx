"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Tabs } from "@/components/ui/tabs";
import { useToast } from "@/components/ui/toast";
import type { RequestSummary } from "@/lib/approvals";
import { getJson } from "@/lib/console/client";
import { ChangeSummary } from "./change-summary";
import { DecisionDialog, type DecideAction } from "./decision-dialog";
import { RevealSecret, type RevealAction } from "./reveal-secret";

const STATUS_TONE = { pending: "amber", approved: "indigo", executed: "green", failed: "red", rejected: "slate", expired: "slate" } as const;
const FILTERS = ["pending", "approved", "executed", "failed", "rejected", "expired", "all"] as const;

/** Approval requests with who did what; approve or reject (with step-up) where the caller may. Polls so a requester sees the outcome. */
export function ApprovalRequests({ initial, decide, reveal }: { initial: RequestSummary[]; decide: DecideAction; reveal: RevealAction }) {
  const router = useRouter();
  const toast = useToast();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>("pending");
  const [deciding, setDeciding] = useState<{ request: RequestSummary; decision: "approve" | "reject" } | null>(null);
  const requests = useQuery({ queryKey: ["approvals"], queryFn: () => getJson<RequestSummary[]>("/api/approvals"), initialData: initial, refetchInterval: 10_000 });
  const all = requests.data;
  const shown = filter === "all" ? all : all.filter((r) => r.status === filter);
  const count = (f: (typeof FILTERS)[number]) => (f === "all" ? all.length : all.filter((r) => r.status === f).length);

  return (
    <section aria-labelledby="requests-title" className="flex flex-col gap-3">
      <h2 id="requests-title" className="text-xl font-semibold">
        Requests
      </h2>
      <Tabs tabs={FILTERS.map((f) => ({ id: f, label: `${f[0]!.toUpperCase()}${f.slice(1)} (${count(f)})` }))} active={filter} onChange={(id) => setFilter(id as typeof filter)} label="Request status">
        {shown.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No {filter === "all" ? "" : `${filter} `}requests.</p>
        ) : (
          <ul className="flex flex-col gap-4">
            {shown.map((r) => (
              <li key={r.id}>
                <RequestCard request={r} onDecide={(decision) => setDeciding({ request: r, decision })} reveal={reveal} onRevealed={() => void requests.refetch()} />
              </li>
            ))}
          </ul>
        )}
      </Tabs>
      {deciding && (
        <DecisionDialog
          request={deciding.request}
          decision={deciding.decision}
          decide={decide}
          onClose={() => setDeciding(null)}
          onDone={(message, tone) => {
            setDeciding(null);
            toast(tone, message);
            void requests.refetch();
            router.refresh(); // the navigation badge
          }}
        />
      )}
    </section>
  );
}

function RequestCard({
  request: r,
  onDecide,
  reveal,
  onRevealed,
}: {
  request: RequestSummary;
  onDecide: (d: "approve" | "reject") => void;
  reveal: RevealAction;
  onRevealed: () => void;
}) {
  const outcome = r.outcome as { ok: boolean; error?: { name: string; message: string } } | null;
  return (
    <article aria-labelledby={`req-${r.id}`} data-testid={`approval-request-${r.id}`} className="flex flex-col gap-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 id={`req-${r.id}`} className="font-semibold">
            {r.operation}
          </h3>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Requested by <strong>{r.requester}</strong> via {r.via} on {new Date(r.createdAt).toLocaleString()} · request <code>{r.id}</code>
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
          <span className="text-sm" aria-label={`${r.approvals} of ${r.approvalsNeeded} approvals`}>
            {r.approvals}/{r.approvalsNeeded} approvals
          </span>
        </div>
      </header>
      <ChangeSummary operation={r.operation} summary={r.summary} />
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Approvers</dt>
        <dd>users with role {r.approverRole.toLowerCase().replace(/_/g, " ")}, not the requester</dd>
        <dt className="text-slate-500">{r.status === "pending" ? "Expires" : "Decided"}</dt>
        <dd>{new Date(r.status === "pending" ? r.expiresAt : (r.decidedAt ?? r.expiresAt)).toLocaleString()}</dd>
      </dl>
      {r.decisions.length > 0 && (
        <ol className="flex flex-col gap-1 text-sm" aria-label="Decisions">
          {r.decisions.map((d) => (
            <li key={d.username}>
              <Badge tone={d.decision === "approve" ? "green" : "red"}>{d.decision === "approve" ? "approved" : "rejected"}</Badge> {d.username} ·{" "}
              {new Date(d.decidedAt).toLocaleString()}
              {d.reason && <span className="text-slate-600 dark:text-slate-400"> — “{d.reason}”</span>}
            </li>
          ))}
        </ol>
      )}
      {outcome && (
        <p role="status" className={outcome.ok ? "text-sm text-emerald-700 dark:text-emerald-400" : "text-sm text-red-700 dark:text-red-400"}>
          {outcome.ok ? "Executed as requested." : `Execution failed: ${outcome.error?.name}: ${outcome.error?.message}`}
        </p>
      )}
      <RevealSecret request={r} reveal={reveal} onRevealed={onRevealed} />
      {r.canDecide && (
        <div className="flex gap-2">
          <Button size="sm" onClick={() => onDecide("approve")} aria-label={`Approve ${r.operation} requested by ${r.requester}`}>
            Approve
          </Button>
          <Button size="sm" variant="danger" onClick={() => onDecide("reject")} aria-label={`Reject ${r.operation} requested by ${r.requester}`}>
            Reject
          </Button>
        </div>
      )}
    </article>
  );
}
