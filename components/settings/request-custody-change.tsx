"use client";

// Under quorum, a root key migration or unseal-key rekey starts as a request here: the approvers see
// the target, and once approved the host's operator runs the CLI command it names, once.
import { useState } from "react";
import { requestRootKeyChangeAction } from "@/app/(console)/settings/root-key-actions";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";

type Operation = "MigrateRootKey" | "RekeyRootKey";

export function RequestCustodyChange({ operations, currentKind }: { operations: Operation[]; currentKind: string }) {
  const [operation, setOperation] = useState<Operation>(operations[0]!);
  const [to, setTo] = useState(currentKind === "local" ? "shamir" : "local");
  const [notice, setNotice] = useState<{ held: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const needsSplit = operation === "RekeyRootKey" || to === "shamir";

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    const result = await requestRootKeyChangeAction({
      operation,
      ...(operation === "MigrateRootKey" ? { to } : {}),
      ...(needsSplit ? { custodians: Number(form.get("custodians")), threshold: Number(form.get("threshold")) } : {}),
    });
    setBusy(false);
    if (result.ok) return;
    setNotice({ held: !!result.error.approvalRequestId, text: result.error.message });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3 border-t border-slate-200 px-6 py-4 text-sm dark:border-slate-800" aria-label="Request a root key change">
      <p className="font-medium">Request a root key change (held for approval)</p>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Change">
          {(p) => (
            <Select {...p} name="operation" value={operation} onChange={(e) => setOperation(e.target.value as Operation)}>
              {operations.includes("MigrateRootKey") && <option value="MigrateRootKey">Migrate the root key to another store</option>}
              {operations.includes("RekeyRootKey") && <option value="RekeyRootKey">Rekey the unseal shares</option>}
            </Select>
          )}
        </Field>
        {operation === "MigrateRootKey" && (
          <Field label="Target store">
            {(p) => (
              <Select {...p} name="to" value={to} onChange={(e) => setTo(e.target.value)}>
                {["local", "shamir", "pkcs11"].filter((k) => k !== currentKind).map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        {needsSplit && (
          <>
            <Field label="Custodians (N)">{(p) => <Input {...p} name="custodians" type="number" min={2} max={255} defaultValue={3} required />}</Field>
            <Field label="Threshold (M)">{(p) => <Input {...p} name="threshold" type="number" min={2} max={255} defaultValue={2} required />}</Field>
          </>
        )}
        <Button type="submit" busy={busy}>
          Request
        </Button>
      </div>
      {notice && (
        <p role="status" data-testid="custody-request-notice" className={notice.held ? "text-amber-800 dark:text-amber-300" : "text-red-700 dark:text-red-400"}>
          {notice.held ? `Held for approval; nothing changes until it is approved and the host's operator runs it. ${notice.text}` : notice.text}
        </p>
      )}
    </form>
  );
}
