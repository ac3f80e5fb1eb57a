"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { DialogActions, FormError } from "@/components/ui/form-footer";
import { useToast } from "@/components/ui/toast";
import type { RuleSummary } from "@/lib/approvals";
import type { ActionResult } from "@/lib/console/result";

const ROLES = { ADMINISTRATOR: "Administrator", KEY_ADMINISTRATOR: "Key administrator", KEY_USER: "Key user", AUDITOR: "Auditor" } as const;

export type UpdateRuleAction = (input: { operation: string; approvals: number; approverRole: string; ttlSeconds: number }) => Promise<ActionResult<unknown>>;

/** The approval policy: which operation needs how many approvals from whom. Administrators edit it (under quorum once any rule exists). */
export function ApprovalRules({ rules, operations, canEdit, updateRule }: { rules: RuleSummary[]; operations: string[]; canEdit: boolean; updateRule: UpdateRuleAction }) {
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState<RuleSummary | "new" | null>(null);
  const [removing, setRemoving] = useState<RuleSummary | null>(null);
  const [busy, setBusy] = useState(false);

  /** Saved at once while quorum is off; otherwise held: the toast names the request. */
  function settled(result: Awaited<ReturnType<UpdateRuleAction>>, done: string): string | undefined {
    if (result.ok) toast("success", done);
    else if (result.error.approvalRequestId) toast("info", `Approval requested. ${result.error.message}`);
    else return result.error.message;
    router.refresh();
  }

  async function onRemove() {
    if (!removing) return;
    setBusy(true);
    const r = await updateRule({ operation: removing.operation, approvals: 0, approverRole: removing.approverRole, ttlSeconds: removing.ttlSeconds });
    setBusy(false);
    const error = settled(r, `Rule for ${removing.operation} removed`);
    if (error) return toast("error", error);
    setRemoving(null);
  }

  return (
    <section id="rules" aria-labelledby="rules-title" className="flex flex-col gap-3">
      <div className="flex items-end justify-between gap-2">
        <h2 id="rules-title" className="text-xl font-semibold">
          Approval rules
        </h2>
        {canEdit && <Button onClick={() => setEditing("new")}>Add rule</Button>}
      </div>
      {rules.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No rules: quorum is off, every change runs at once.</p>
      ) : (
        <table className="w-full text-sm" aria-label="Approval rules">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-2">Operation</th>
              <th>Approvals needed</th>
              <th>From</th>
              <th>Requests expire after</th>
              {canEdit && <th className="sr-only">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.operation} className="border-t border-slate-200 dark:border-slate-800" data-testid={`approval-rule-${rule.operation}`}>
                <td className="py-2 font-medium">{rule.operation}</td>
                <td>{rule.approvals}</td>
                <td>{ROLES[rule.approverRole]}s</td>
                <td>{rule.ttlSeconds / 3600} h</td>
                {canEdit && (
                  <td className="flex justify-end gap-2 py-2">
                    <Button variant="secondary" size="sm" onClick={() => setEditing(rule)} aria-label={`Edit the rule for ${rule.operation}`}>
                      Edit
                    </Button>
                    <Button variant="danger" size="sm" onClick={() => setRemoving(rule)} aria-label={`Remove the rule for ${rule.operation}`}>
                      Remove
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <RuleDialog
          rule={editing === "new" ? null : editing}
          operations={operations}
          onClose={() => setEditing(null)}
          save={async (input) => {
            const error = settled(await updateRule(input), `Rule for ${input.operation} saved`);
            if (!error) setEditing(null);
            return error;
          }}
        />
      )}
      <ConfirmDialog
        open={!!removing}
        title={`Remove the rule for ${removing?.operation ?? ""}`}
        confirmLabel="Remove"
        tone="danger"
        busy={busy}
        onConfirm={onRemove}
        onClose={() => setRemoving(null)}
      >
        {removing?.operation} will then run without approval.
      </ConfirmDialog>
    </section>
  );
}

function RuleDialog({
  rule,
  operations,
  onClose,
  save,
}: {
  rule: RuleSummary | null;
  operations: string[];
  onClose: () => void;
  save: (input: Parameters<UpdateRuleAction>[0]) => Promise<string | undefined>;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError("");
    const failed = await save({
      operation: String(form.get("operation")),
      approvals: Number(form.get("approvals")),
      approverRole: String(form.get("approverRole")),
      ttlSeconds: Math.round(Number(form.get("ttlHours")) * 3600),
    });
    setBusy(false);
    if (failed) setError(failed);
  }

  return (
    <Dialog open onClose={onClose} title={rule ? `Edit the rule for ${rule.operation}` : "Add approval rule"}>
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        <Field label="Operation">
          {(p) => (
            <Select {...p} name="operation" defaultValue={rule?.operation ?? operations[0]} disabled={!!rule}>
              {operations.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {rule && <input type="hidden" name="operation" value={rule.operation} />}
        <Field label="Approvals needed" hint="From people other than the requester.">
          {(p) => <Input {...p} name="approvals" type="number" min={1} max={10} required defaultValue={rule?.approvals ?? 2} />}
        </Field>
        <Field label="Approvers">
          {(p) => (
            <Select {...p} name="approverRole" defaultValue={rule?.approverRole ?? "ADMINISTRATOR"}>
              {Object.entries(ROLES).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}s
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Requests expire after (hours)">
          {(p) => <Input {...p} name="ttlHours" type="number" min={1} max={720} step="any" required defaultValue={(rule?.ttlSeconds ?? 86400) / 3600} />}
        </Field>
        <FormError message={error} />
        <DialogActions onCancel={onClose} submitLabel="Save" busy={busy} />
      </form>
    </Dialog>
  );
}
