"use client";

import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { DialogActions, FormError } from "@/components/ui/form-footer";
import type { DecisionResult, RequestSummary } from "@/lib/approvals";
import type { ActionResult } from "@/lib/console/result";

/** The server action that decides (app/(console)/approvals/actions.ts), passed down by the page. */
export type DecideAction = (input: { requestId: string; decision: "approve" | "reject"; reason: string; password: string }) => Promise<ActionResult<DecisionResult>>;

/** Approve or reject with a reason, after step-up: the approver's password, checked by lib/auth/step-up.ts. */
export function DecisionDialog({
  request,
  decision,
  decide,
  onClose,
  onDone,
}: {
  request: RequestSummary;
  decide: DecideAction;
  decision: "approve" | "reject";
  onClose: () => void;
  onDone: (message: string, tone: "success" | "error" | "info") => void;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError("");
    const result = await decide({ requestId: request.id, decision, reason: String(form.get("reason") ?? ""), password: String(form.get("password") ?? "") });
    setBusy(false);
    if (!result.ok) return setError(`${result.error.name}: ${result.error.message}`);
    const r = result.data;
    if (r.status === "rejected") return onDone(`Rejected: ${request.operation} will not run.`, "info");
    if (r.status === "pending") return onDone(`Approved (${r.approvals} of ${r.approvalsNeeded}); waiting for more approvals.`, "success");
    if (r.status === "approved") return onDone(`Approved: the host's operator can now run ${request.operation} once with --approval ${request.id}.`, "success");
    if (r.status === "executed") return onDone(`Approved and executed: ${request.operation} ran as ${request.requester}.`, "success");
    const failure = r.execution && !r.execution.ok ? `${r.execution.error.name}: ${r.execution.error.message}` : "";
    onDone(`Approved, but ${request.operation} failed when it ran: ${failure}`, "error");
  }

  const verb = decision === "approve" ? "Approve" : "Reject";
  return (
    <Dialog open onClose={onClose} title={`${verb} ${request.operation}`}>
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        <p className="text-sm">
          Requested by <strong>{request.requester}</strong>; {request.approvals} of {request.approvalsNeeded} approvals so far.
          {decision === "approve" && request.approvals + 1 >= request.approvalsNeeded && " Your approval runs it now."}
        </p>
        <Field label="Reason" hint={decision === "reject" ? "Required: the requester sees it." : "Optional; recorded with your decision."}>
          {(p) => <Textarea {...p} name="reason" rows={2} maxLength={1000} required={decision === "reject"} />}
        </Field>
        <Field label="Your password" hint="Step-up: confirm it is you before deciding.">
          {(p) => <Input {...p} name="password" type="password" autoComplete="current-password" required />}
        </Field>
        <FormError message={error} />
        <DialogActions onCancel={onClose} submitLabel={verb} busy={busy} />
      </form>
    </Dialog>
  );
}
