"use client";

import { useState } from "react";
import { DialogActions, FormError } from "@/components/ui/form-footer";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import type { Role } from "@/lib/db/client";
import { createUserAction } from "./actions";
import { roleSummary } from "@/lib/console/role-summaries";
import { ROLE_OPTIONS } from "./roles";

const NO_ROLE = "none";

export function CreateUserDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (username: string, generatedPassword?: string) => void;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState(false);
  const [service, setService] = useState(false);
  const [role, setRole] = useState("");

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError("");
    const result = await createUserAction({
      username: String(form.get("username") ?? ""),
      role: role === NO_ROLE ? null : (role as Role),
      password: typed && !service ? String(form.get("password") ?? "") : undefined,
      serviceAccount: service,
    });
    setBusy(false);
    // An administrator held for approval (a rule protects CreateAdministrator) is created only once approved.
    if (!result.ok) return setError(result.error.approvalRequestId ? `Held for approval: nothing is created until it is approved. ${result.error.message}` : result.error.message);
    setTyped(false);
    setService(false);
    setRole("");
    onCreated(result.data.user.username, result.data.generatedPassword);
  }

  return (
    <Dialog open={open} onClose={onClose} title="Create user">
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <Field label="Username" hint="Letters, digits and _ . @ + = , - (up to 64).">
          {(p) => <Input {...p} name="username" required maxLength={64} autoComplete="off" />}
        </Field>
        {/* A deliberate choice: no role is an option, but never a silent default. */}
        <Field label="Role" hint={role ? roleSummary(role === NO_ROLE ? null : (role as Role)) : "Choose what this user may do."}>
          {(p) => (
            <Select {...p} name="role" required value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="" disabled>
                Choose a role…
              </option>
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value || NO_ROLE} value={o.value || NO_ROLE}>
                  {o.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-1" checked={service} onChange={(e) => setService(e.target.checked)} />
          <span>
            Service account
            <span className="block text-xs text-slate-600 dark:text-slate-400">
              For applications: API access keys only, no password and no console sign-in.
            </span>
          </span>
        </label>
        {!service && (
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1 font-medium text-slate-700 dark:text-slate-300">Password</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="passwordMode" checked={!typed} onChange={() => setTyped(false)} />
            Generate a one-time password
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="passwordMode" checked={typed} onChange={() => setTyped(true)} />
            Type a password
          </label>
        </fieldset>
        )}
        {typed && !service && (
          <Field label="Initial password" hint="At least 12 characters. The user must change it at first sign-in.">
            {(p) => <Input {...p} name="password" type="password" minLength={12} required autoComplete="new-password" />}
          </Field>
        )}
        <FormError message={error} />
        <DialogActions onCancel={onClose} submitLabel={"Create"} busy={busy} />
      </form>
    </Dialog>
  );
}
