"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { UserSummary } from "@/lib/accounts/users";
import { ROLE_LABELS } from "@/lib/access/authorize";
import { roleSummary } from "@/lib/console/role-summaries";
import type { Role } from "@/lib/db/client";

const label = (role: Role | null) => (role ? ROLE_LABELS[role] : "No role");

/** Confirms a change of built-in role, naming what the user could do before and what they can do after. */
export function RoleChangeDialog({
  change,
  self,
  onClose,
  onConfirm,
}: {
  change: { user: UserSummary; role: Role | null } | null;
  self: boolean;
  onClose: () => void;
  onConfirm: (change: { user: UserSummary; role: Role | null }) => void;
}) {
  const from = change?.user.role ?? null;
  const to = change?.role ?? null;
  return (
    <ConfirmDialog
      open={!!change}
      title={`Change the role of ${change?.user.username ?? "user"}`}
      confirmLabel={`Make ${label(to)}`}
      tone={to === "ADMINISTRATOR" || self ? "danger" : "primary"}
      onClose={onClose}
      onConfirm={() => change && onConfirm(change)}
    >
      <dl className="flex flex-col gap-2" data-testid="role-change-summary">
        <div>
          <dt className="font-medium text-slate-900 dark:text-slate-100">Now: {label(from)}</dt>
          <dd>{roleSummary(from)}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900 dark:text-slate-100">After: {label(to)}</dt>
          <dd>{roleSummary(to)}</dd>
        </div>
      </dl>
      {self && <p className="mt-2 font-medium text-red-700 dark:text-red-300">This is your own account: you may lose access to this page.</p>}
      <p className="mt-2">The change applies to their next request; it is recorded in the audit trail.</p>
    </ConfirmDialog>
  );
}
