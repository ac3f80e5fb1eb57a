"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { DialogActions, FormError } from "@/components/ui/form-footer";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import type { AlertDeliverySummary, NotificationRuleSummary } from "@/lib/alerts/rules";
import { createRuleAction, deleteRuleAction, setRuleEnabledAction, updateRuleAction } from "./actions";
import { DateTime } from "@/components/ui/date-time";

const OUTCOMES = { any: "Any outcome", denied: "Denied (AccessDeniedException)", failed: "Failed (any error, or a failed verification)" } as const;

function describe(rule: NotificationRuleSummary): string {
  const parts = [rule.eventNames.length ? rule.eventNames.join(", ") : "any event"];
  if (rule.outcome !== "any") parts.push(rule.outcome);
  if (rule.keyRef) parts.push(`key ${rule.keyRef}`);
  if (rule.principalArn) parts.push(`by ${rule.principalArn}`);
  if (rule.tagKey) parts.push(`key tagged ${rule.tagKey}${rule.tagValue ? `=${rule.tagValue}` : ""}`);
  const count = rule.minCount > 1 ? `at least ${rule.minCount} within ${rule.windowSeconds / 60} min` : "each";
  return `${count}: ${parts.join(" · ")}`;
}

/** Rules: list, enable/disable, create/edit, delete (administrators); read-only for auditors. */
export function AlertRules({ rules, canEdit }: { rules: NotificationRuleSummary[]; canEdit: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState<NotificationRuleSummary | "new" | null>(null);
  const [deleting, setDeleting] = useState<NotificationRuleSummary | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function toggle(rule: NotificationRuleSummary, enabled: boolean) {
    const result = await setRuleEnabledAction({ ruleId: rule.id, enabled });
    if (!result.ok) return toast("error", result.error.message);
    router.refresh();
  }

  async function onDelete() {
    if (!deleting) return;
    setBusy(true);
    const result = await deleteRuleAction({ ruleId: deleting.id });
    setBusy(false);
    if (!result.ok) return toast("error", result.error.message);
    toast("success", `Rule ${deleting.name} deleted`);
    setDeleting(null);
    router.refresh();
  }

  return (
    <section aria-labelledby="rules-title" className="flex flex-col gap-3">
      <div className="flex items-end justify-between gap-2">
        <h2 id="rules-title" className="text-xl font-semibold">
          Notification rules
        </h2>
        {canEdit && <Button onClick={() => setEditing("new")}>Create rule</Button>}
      </div>
      {rules.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No notification rules.</p>
      ) : (
        <table className="w-full text-sm" aria-label="Notification rules">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-2">Name</th>
              <th>When</th>
              <th>Webhook</th>
              <th>Enabled</th>
              {canEdit && <th className="sr-only">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id} className="border-t border-slate-200 dark:border-slate-800" data-testid={`rule-${rule.name}`}>
                <td className="py-2 font-medium">{rule.name}</td>
                <td>{describe(rule)}</td>
                <td className="break-all font-mono text-xs">
                  {rule.url} {rule.format === "text" && <Badge>text</Badge>}
                </td>
                <td>
                  {canEdit ? (
                    <Switch checked={rule.enabled} onChange={(v) => void toggle(rule, v)} label={`${rule.name} enabled`} />
                  ) : (
                    <Badge tone={rule.enabled ? "green" : "slate"}>{rule.enabled ? "On" : "Off"}</Badge>
                  )}
                </td>
                {canEdit && (
                  <td className="flex justify-end gap-2 py-2">
                    <Button variant="secondary" size="sm" onClick={() => setEditing(rule)} aria-label={`Edit ${rule.name}`}>
                      Edit
                    </Button>
                    <Button variant="danger" size="sm" onClick={() => setDeleting(rule)} aria-label={`Delete ${rule.name}`}>
                      Delete
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
          onClose={() => setEditing(null)}
          onSaved={(name, signingSecret) => {
            toast("success", editing === "new" ? `Rule ${name} created` : `Rule ${name} saved`);
            setEditing(null);
            if (signingSecret) setSecret({ name, value: signingSecret });
            router.refresh();
          }}
        />
      )}
      {secret && (
        <Dialog open onClose={() => setSecret(null)} title={`Signing secret of ${secret.name}`}>
          <p className="text-sm">
            Shown once. The receiver checks <code>X-Keyhold-Signature</code> with it (see the README, Alerts).
          </p>
          <div className="mt-3 flex items-center gap-2">
            <code className="break-all rounded bg-slate-100 px-2 py-1 text-xs dark:bg-slate-800">{secret.value}</code>
            <CopyButton value={secret.value} label="Copy signing secret" />
          </div>
          <div className="mt-4 flex justify-end">
            <Button onClick={() => setSecret(null)}>Done</Button>
          </div>
        </Dialog>
      )}
      <ConfirmDialog
        open={!!deleting}
        title={`Delete rule ${deleting?.name ?? ""}`}
        confirmLabel="Delete"
        tone="danger"
        busy={busy}
        onConfirm={onDelete}
        onClose={() => setDeleting(null)}
      >
        Its delivery log and any message not yet delivered are deleted too.
      </ConfirmDialog>
    </section>
  );
}

function RuleDialog({
  rule,
  onClose,
  onSaved,
}: {
  rule: NotificationRuleSummary | null;
  onClose: () => void;
  onSaved: (name: string, signingSecret?: string) => void;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const input = {
      name: text("name"),
      eventNames: text("eventNames").split(/[\s,]+/).filter(Boolean),
      keyRef: text("keyRef") || null,
      principalArn: text("principalArn") || null,
      outcome: text("outcome"),
      tagKey: text("tagKey") || null,
      tagValue: text("tagValue") || null,
      minCount: Number(text("minCount")),
      windowSeconds: Number(text("windowMinutes")) * 60,
      format: text("format"),
      url: text("url"),
    };
    setBusy(true);
    setError("");
    const result = rule ? await updateRuleAction({ ruleId: rule.id, ...input }) : await createRuleAction(input);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onSaved(result.data.name, "signingSecret" in result.data ? String(result.data.signingSecret) : undefined);
  }

  return (
    <Dialog open onClose={onClose} title={rule ? `Edit rule ${rule.name}` : "Create notification rule"}>
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        <Field label="Name">{(p) => <Input {...p} name="name" required maxLength={64} defaultValue={rule?.name ?? ""} />}</Field>
        <Field label="Event names" hint="Comma-separated, e.g. ScheduleKeyDeletion, DisableKey. Empty: any event.">
          {(p) => <Input {...p} name="eventNames" defaultValue={rule?.eventNames.join(", ") ?? ""} />}
        </Field>
        <Field label="Outcome">
          {(p) => (
            <Select {...p} name="outcome" defaultValue={rule?.outcome ?? "any"}>
              {Object.entries(OUTCOMES).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Key" hint="A key ID or alias/name. Empty: any key.">{(p) => <Input {...p} name="keyRef" defaultValue={rule?.keyRef ?? ""} />}</Field>
        <Field label="Principal ARN" hint="Empty: anyone.">{(p) => <Input {...p} name="principalArn" defaultValue={rule?.principalArn ?? ""} />}</Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Key tagged (key)">{(p) => <Input {...p} name="tagKey" defaultValue={rule?.tagKey ?? ""} />}</Field>
          <Field label="Tag value" hint="Empty: any value.">{(p) => <Input {...p} name="tagValue" defaultValue={rule?.tagValue ?? ""} />}</Field>
          <Field label="At least this many events">
            {(p) => <Input {...p} name="minCount" type="number" min={1} max={10000} required defaultValue={rule?.minCount ?? 1} />}
          </Field>
          <Field label="Within (minutes)">
            {(p) => <Input {...p} name="windowMinutes" type="number" min={1} max={1440} required defaultValue={(rule?.windowSeconds ?? 300) / 60} />}
          </Field>
        </div>
        <Field label="Webhook URL" hint="http:// or https://; link-local and metadata addresses are refused.">
          {(p) => <Input {...p} name="url" type="url" required defaultValue={rule?.url ?? ""} />}
        </Field>
        <Field label="Message format">
          {(p) => (
            <Select {...p} name="format" defaultValue={rule?.format ?? "keyhold"}>
              <option value="keyhold">Keyhold JSON (CloudTrail records)</option>
              <option value="text">Slack / Teams ({"{"}&quot;text&quot;{"}"})</option>
            </Select>
          )}
        </Field>
        <FormError message={error} />
        <DialogActions onCancel={onClose} submitLabel={rule ? "Save" : "Create"} busy={busy} />
      </form>
    </Dialog>
  );
}

const STATUS_TONE = { delivered: "green", pending: "amber", failed: "red" } as const;

/** The delivery log: one row per message with its attempts. */
export function DeliveryLog({ deliveries }: { deliveries: AlertDeliverySummary[] }) {
  return (
    <section aria-labelledby="deliveries-title" className="flex flex-col gap-3">
      <h2 id="deliveries-title" className="text-xl font-semibold">
        Delivery log
      </h2>
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing sent yet.</p>
      ) : (
        <table className="w-full text-sm" aria-label="Delivery log">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-2">Queued</th>
              <th>Rule</th>
              <th>Status</th>
              <th>Attempts</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} className="border-t border-slate-200 align-top dark:border-slate-800">
                <td className="py-2"><DateTime value={d.createdAt} /></td>
                <td>{d.ruleName}</td>
                <td>
                  <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
                  {d.nextAttemptAt && <div className="text-xs text-slate-500">next <DateTime value={d.nextAttemptAt} /></div>}
                </td>
                <td>
                  <ol className="text-xs">
                    {d.log.map((a, i) => (
                      <li key={i}>
                        <DateTime value={a.at} /> — {a.httpStatus ?? "no answer"}
                        {a.error ? ` (${a.error})` : ""}
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
