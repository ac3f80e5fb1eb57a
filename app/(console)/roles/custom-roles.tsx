"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { DialogActions, FormError } from "@/components/ui/form-footer";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { IdentityPolicy, RoleMembers } from "@/components/policy/role-card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import type { CustomRoleSummary } from "@/lib/accounts/custom-roles";
import { createCustomRoleAction, deleteCustomRoleAction, updateCustomRoleAction } from "./actions";

const TEMPLATE = JSON.stringify(
  { Version: "2012-10-17", Statement: [{ Sid: "Encrypt", Effect: "Allow", Action: ["kms:Encrypt"], Resource: "*" }] },
  null,
  2,
);

/** Pretty-prints stored JSON for display; leaves anything else as typed. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The custom roles section of the Roles page: list, create/edit, delete (administrators). */
export function CustomRoles({ roles, canEdit }: { roles: CustomRoleSummary[]; canEdit: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState<CustomRoleSummary | "new" | null>(null);
  const [deleting, setDeleting] = useState<CustomRoleSummary | null>(null);
  const [busy, setBusy] = useState(false);

  async function onDelete() {
    if (!deleting) return;
    setBusy(true);
    const result = await deleteCustomRoleAction({ customRoleId: deleting.id });
    setBusy(false);
    if (!result.ok) return toast("error", result.error.message);
    toast("success", `Custom role ${deleting.name} deleted`);
    setDeleting(null);
    router.refresh();
  }

  return (
    <section aria-labelledby="custom-roles-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id="custom-roles-title" className="text-xl font-semibold">
            Custom roles
          </h2>
          <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
            An identity policy with its own JSON. A user has at most one built-in role and optionally one custom role; their identity policies are
            both. Custom roles grant <code>kms:</code> actions only: console pages, users, settings and the audit trail follow the built-in role.
            Assign them on the Users page.
          </p>
        </div>
        {canEdit && <Button onClick={() => setEditing("new")}>Create custom role</Button>}
      </div>
      {roles.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No custom roles.</p>
      ) : (
        roles.map((role) => (
          <CustomRoleCard
            key={role.id}
            role={role}
            actions={
              canEdit && (
                <div className="flex gap-2">
                  <Button variant="secondary" size="sm" onClick={() => setEditing(role)} aria-label={`Edit ${role.name}`}>
                    Edit
                  </Button>
                  <Button variant="danger" size="sm" onClick={() => setDeleting(role)} aria-label={`Delete ${role.name}`}>
                    Delete
                  </Button>
                </div>
              )
            }
          />
        ))
      )}
      {editing && (
        <CustomRoleDialog
          role={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(name) => {
            toast("success", editing === "new" ? `Custom role ${name} created` : `Custom role ${name} saved`);
            setEditing(null);
            router.refresh();
          }}
        />
      )}
      <ConfirmDialog
        open={!!deleting}
        title={`Delete custom role ${deleting?.name ?? ""}`}
        confirmLabel="Delete"
        tone="danger"
        busy={busy}
        onConfirm={onDelete}
        onClose={() => setDeleting(null)}
      >
        {deleting && deleting.members.length > 0
          ? `${deleting.members.length} user(s) lose this role and the access it gives, at once.`
          : "Nobody has this role."}
      </ConfirmDialog>
    </section>
  );
}

function CustomRoleCard({ role, actions }: { role: CustomRoleSummary; actions: React.ReactNode }) {
  const id = useId();
  const policy = pretty(role.policy);
  return (
    <section
      aria-labelledby={`${id}-title`}
      data-testid={`custom-role-${role.name}`}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h3 id={`${id}-title`} className="text-lg font-medium">
            {role.name}
          </h3>
          <span className="text-xs text-slate-500 dark:text-slate-400">Custom role</span>
        </div>
        {actions}
      </div>
      {role.description && <p className="text-sm text-slate-700 dark:text-slate-300">{role.description}</p>}
      <RoleMembers label={role.name} members={role.members} heading="h4" />
      <IdentityPolicy label={role.name} policy={policy} />
    </section>
  );
}

function CustomRoleDialog({
  role,
  onClose,
  onSaved,
}: {
  role: CustomRoleSummary | null;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      description: String(form.get("description") ?? ""),
      policy: String(form.get("policy") ?? ""),
    };
    setBusy(true);
    setError("");
    const result = role ? await updateCustomRoleAction({ customRoleId: role.id, ...input }) : await createCustomRoleAction(input);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onSaved(result.data.name);
  }

  return (
    <Dialog open onClose={onClose} title={role ? `Edit custom role ${role.name}` : "Create custom role"}>
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <Field label="Name" hint="Letters, digits and + = , . @ _ - (up to 64).">
          {(p) => <Input {...p} name="name" required maxLength={64} autoComplete="off" defaultValue={role?.name ?? ""} />}
        </Field>
        <Field label="Description">
          {(p) => <Input {...p} name="description" maxLength={1000} autoComplete="off" defaultValue={role?.description ?? ""} />}
        </Field>
        <Field label="Identity policy JSON" hint="AWS policy grammar without Principal. Only kms: actions take effect.">
          {(p) => (
            <Textarea
              {...p}
              name="policy"
              required
              rows={14}
              spellCheck={false}
              className="font-mono text-xs"
              defaultValue={role ? pretty(role.policy) : TEMPLATE}
            />
          )}
        </Field>
        <FormError message={error} />
        <DialogActions onCancel={onClose} submitLabel={role ? "Save" : "Create"} busy={busy} />
      </form>
    </Dialog>
  );
}
