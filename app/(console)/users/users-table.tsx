"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { QueryStatusRows } from "@/components/ui/query-status-rows";
import { Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import type { UserSummary } from "@/lib/accounts/users";
import { getJson, unwrap, type ActionError } from "@/lib/console/client";
import type { Role } from "@/lib/db/client";
import {
  listCustomRolesAction,
  resetUserPasswordAction,
  setUserCustomRoleAction,
  setUserDisabledAction,
  setUserRoleAction,
  unlockUserAction,
} from "./actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CreateUserDialog } from "./create-user-dialog";
import { OneTimePasswordDialog } from "./one-time-password-dialog";
import { UserTagsDialog } from "./user-tags-dialog";
import { MfaPolicyPanel, UserSecurityActions } from "./user-security";
import { RoleChangeDialog } from "./role-change-dialog";
import { ROLE_OPTIONS } from "./roles";
import { DateTime } from "@/components/ui/date-time";

const fetchUsers = () => getJson<UserSummary[]>("/api/users");

export function UsersTable({ currentUserId }: { currentUserId: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const users = useQuery({ queryKey: ["users"], queryFn: fetchUsers });
  const customRoles = useQuery({ queryKey: ["users", "custom-roles"], queryFn: () => unwrap(listCustomRolesAction()) });
  // userId → custom role id, from the roles' member lists.
  const customRoleOf = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of customRoles.data ?? []) for (const u of r.members) m.set(u.id, r.id);
    return m;
  }, [customRoles.data]);
  const [creating, setCreating] = useState(false);
  const [oneTime, setOneTime] = useState<{ username: string; password: string } | null>(null);
  const [tagging, setTagging] = useState<UserSummary | null>(null);
  const [roleChange, setRoleChange] = useState<{ user: UserSummary; role: Role | null } | null>(null);
  const [disabling, setDisabling] = useState<UserSummary | null>(null);

  const mutate = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
    // A role change held for approval is no failure: the Approvals page shows the request.
    onError: (e) => ((e as ActionError).approvalRequestId ? toast("info", `Approval requested. ${e.message}`) : toast("error", e.message)),
  });

  const run = (fn: () => Promise<unknown>, success: string) => mutate.mutate(fn, { onSuccess: () => toast("success", success) });

  return (
    <>
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Users</h1>
        <Button onClick={() => setCreating(true)}>Create user</Button>
      </div>
      <MfaPolicyPanel />
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th className="px-4 py-3">Username</th>
              <th className="px-4 py-3">Role</th>
              <th className="px-4 py-3">Custom role</th>
              <th className="px-4 py-3">Status</th>
              <th className="px-4 py-3 whitespace-nowrap">Last sign-in</th>
              <th className="px-4 py-3 text-right">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            <QueryStatusRows query={users} columns={6} skeletonRows={3} />
            {users.data?.map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.username}`}>
                <td className="px-4 py-3 font-medium">
                  {u.username}
                  {u.id === currentUserId && <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">(you)</span>}
                </td>
                <td className="px-4 py-3">
                  <Select
                    aria-label={`Role of ${u.username}`}
                    value={u.role ?? ""}
                    className="w-44 min-w-36 py-1"
                    onChange={(e) => setRoleChange({ user: u, role: (e.target.value || null) as Role | null })}
                  >
                    {ROLE_OPTIONS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </Select>
                </td>
                <td className="px-4 py-3">
                  <Select
                    aria-label={`Custom role of ${u.username}`}
                    value={customRoleOf.get(u.id) ?? ""}
                    disabled={!customRoles.data}
                    className="w-44 min-w-36 py-1"
                    onChange={(e) => {
                      const customRoleId = e.target.value || null;
                      run(() => unwrap(setUserCustomRoleAction({ userId: u.id, customRoleId })), `Custom role of ${u.username} changed`);
                    }}
                  >
                    <option value="">No custom role</option>
                    {customRoles.data?.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.name}
                      </option>
                    ))}
                  </Select>
                </td>
                <td className="px-4 py-3">
                  <div className="flex flex-wrap gap-1">
                    {u.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Enabled</Badge>}
                    {u.locked && <Badge tone="amber">Locked</Badge>}
                    {u.mustChangePassword && <Badge tone="indigo">Must change password</Badge>}
                    {u.serviceAccount && <Badge tone="slate">Service account</Badge>}
                    {Object.entries(u.tags).map(([k, v]) => (
                      <Badge key={k} tone="indigo">
                        {k}={v}
                      </Badge>
                    ))}
                  </div>
                </td>
                <td className="px-4 py-3 text-slate-600 dark:text-slate-400">
                  {u.lastSignInAt ? <DateTime value={u.lastSignInAt} /> : "Never"}
                </td>
                <td className="px-4 py-3">
                  {/* Wraps rather than pushing buttons out of the table's box at 1024 px. */}
                  <div className="flex min-w-52 flex-wrap items-center justify-end gap-2">
                    <UserSecurityActions user={u} />
                    <Button variant="secondary" size="sm" onClick={() => setTagging(u)}>
                      Tags
                    </Button>
                    {u.locked && (
                      <Button variant="secondary" size="sm" onClick={() => run(() => unwrap(unlockUserAction({ userId: u.id })), `${u.username} unlocked`)}>
                        Unlock
                      </Button>
                    )}
                    {!u.serviceAccount && (
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() =>
                        mutate.mutate(() => unwrap(resetUserPasswordAction({ userId: u.id })), {
                          onSuccess: (r) => {
                            const { generatedPassword } = r as { generatedPassword?: string };
                            if (generatedPassword) setOneTime({ username: u.username, password: generatedPassword });
                          },
                        })
                      }
                    >
                      Reset password
                    </Button>
                    )}
                    {u.id !== currentUserId && (
                      <Button
                        variant={u.disabled ? "secondary" : "danger"}
                        size="sm"
                        onClick={() => {
                          if (!u.disabled) return setDisabling(u);
                          run(() => unwrap(setUserDisabledAction({ userId: u.id, disabled: false })), `${u.username} enabled`);
                        }}
                      >
                        {u.disabled ? "Enable" : "Disable"}
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(username, generatedPassword) => {
          setCreating(false);
          toast("success", `User ${username} created`);
          void queryClient.invalidateQueries({ queryKey: ["users"] });
          if (generatedPassword) setOneTime({ username, password: generatedPassword });
        }}
      />
      <RoleChangeDialog
        change={roleChange}
        self={roleChange?.user.id === currentUserId}
        onClose={() => setRoleChange(null)}
        onConfirm={({ user, role }) => {
          setRoleChange(null);
          run(() => unwrap(setUserRoleAction({ userId: user.id, role })), `Role of ${user.username} changed`);
        }}
      />
      <ConfirmDialog
        open={!!disabling}
        title={`Disable ${disabling?.username ?? "user"}`}
        confirmLabel="Disable"
        tone="danger"
        onClose={() => setDisabling(null)}
        onConfirm={() => {
          const u = disabling!;
          setDisabling(null);
          run(() => unwrap(setUserDisabledAction({ userId: u.id, disabled: true })), `${u.username} disabled`);
        }}
      >
        {disabling?.username} can no longer sign in or call the API, and their sessions end at once. You can enable them again later.
      </ConfirmDialog>
      <OneTimePasswordDialog value={oneTime} onClose={() => setOneTime(null)} />
      <UserTagsDialog
        user={tagging}
        onClose={() => setTagging(null)}
        onSaved={(username) => {
          setTagging(null);
          toast("success", `Tags of ${username} saved`);
          void queryClient.invalidateQueries({ queryKey: ["users"] });
        }}
      />
    </>
  );
}
