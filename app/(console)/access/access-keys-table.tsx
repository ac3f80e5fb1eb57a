"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { QueryStatusRows } from "@/components/ui/query-status-rows";
import { Dialog } from "@/components/ui/dialog";
import { Field, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import type { AccessKeySummary } from "@/lib/accounts/access-keys";
import type { UserSummary } from "@/lib/accounts/users";
import { getJson, unwrap, type ActionError } from "@/lib/console/client";
import { createAccessKeyAction, deleteAccessKeyAction, setAccessKeyStatusAction } from "./actions";
import { DateTime } from "@/components/ui/date-time";

const fetchKeys = () => getJson<AccessKeySummary[]>("/api/access-keys");

type NewKey = { AccessKeyId: string; SecretAccessKey: string; UserName: string };

export function AccessKeysTable({ isAdministrator, username }: { isAdministrator: boolean; username: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  // Not polled: refetched when /api/events says an access key changed (components/live), and on focus.
  const keys = useQuery({ queryKey: ["access-keys"], queryFn: fetchKeys });
  const [creating, setCreating] = useState(false);
  // Administrators pick whose key it is from the users that exist (and are enabled).
  const users = useQuery({ queryKey: ["users"], queryFn: () => getJson<UserSummary[]>("/api/users"), enabled: isAdministrator && creating });
  const [forUser, setForUser] = useState(username);
  const [created, setCreated] = useState<NewKey | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  const mutate = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["access-keys"] }),
    // An administrator's key held for approval is no failure: its secret is revealed on the Approvals page once approved.
    onError: (e) => ((e as ActionError).approvalRequestId ? (setCreating(false), toast("info", `Approval requested. ${e.message}`)) : toast("error", e.message)),
  });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-center justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Access keys</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Credentials for the AWS-KMS-compatible API (AWS SDKs, AWS CLI). At most two per user.
          </p>
        </div>
        <Button onClick={() => setCreating(true)} className="shrink-0 whitespace-nowrap">
          Create access key
        </Button>
      </div>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th className="px-4 py-3">Access key ID</th>
              <th className="px-4 py-3">User</th>
              <th className="px-4 py-3">Status</th>
              <th className="px-4 py-3">Created</th>
              <th className="px-4 py-3">Last used</th>
              <th className="px-4 py-3 text-right">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            <QueryStatusRows query={keys} columns={6} />
            {keys.data?.length === 0 && (
              <tr>
                <td colSpan={6} className="px-4 py-8 text-center text-slate-600 dark:text-slate-400">
                  No access keys yet. Create one to call the API with the AWS SDK or CLI.
                </td>
              </tr>
            )}
            {keys.data?.map((k) => (
              <tr key={k.AccessKeyId} data-testid={`access-key-${k.AccessKeyId}`}>
                <td className="px-4 py-3 font-mono">{k.AccessKeyId}</td>
                <td className="px-4 py-3">{k.UserName}</td>
                <td className="px-4 py-3">
                  {k.Status === "Active" ? <Badge tone="green">Active</Badge> : <Badge tone="slate">Inactive</Badge>}
                </td>
                <td className="px-4 py-3"><DateTime value={k.CreateDate} /></td>
                <td className="px-4 py-3">{k.LastUsedDate ? <DateTime value={k.LastUsedDate} /> : "Never"}</td>
                <td className="px-4 py-3">
                  <div className="flex justify-end gap-2">
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() =>
                        mutate.mutate(
                          () =>
                            unwrap(
                              setAccessKeyStatusAction({
                                accessKeyId: k.AccessKeyId,
                                status: k.Status === "Active" ? "Inactive" : "Active",
                              }),
                            ),
                          { onSuccess: () => toast("success", `${k.AccessKeyId} ${k.Status === "Active" ? "deactivated" : "activated"}`) },
                        )
                      }
                    >
                      {k.Status === "Active" ? "Deactivate" : "Activate"}
                    </Button>
                    <Button size="sm" variant="danger" onClick={() => setConfirmDelete(k.AccessKeyId)}>
                      Delete
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Dialog open={creating} onClose={() => setCreating(false)} title="Create access key">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            mutate.mutate(() => unwrap(createAccessKeyAction({ username: forUser })), {
              onSuccess: (r) => {
                setCreating(false);
                setCreated(r as NewKey);
              },
            });
          }}
        >
          {isAdministrator ? (
            <Field label="User" hint="The user whose identity API calls with this key will carry." error={users.isError ? users.error.message : undefined}>
              {(p) => (
                <Select {...p} value={forUser} onChange={(e) => setForUser(e.target.value)} required disabled={users.isPending}>
                  {users.isPending && <option value={forUser}>Loading users…</option>}
                  {users.data
                    ?.filter((u) => !u.disabled)
                    .map((u) => (
                      <option key={u.id} value={u.username}>
                        {u.username}
                        {u.serviceAccount ? " (service account)" : ""}
                        {u.username === username ? " (you)" : ""}
                      </option>
                    ))}
                </Select>
              )}
            </Field>
          ) : (
            <p className="text-sm">The key will act as you ({username}).</p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setCreating(false)}>
              Cancel
            </Button>
            <Button type="submit" busy={mutate.isPending}>
              Create
            </Button>
          </div>
        </form>
      </Dialog>

      <Dialog open={!!created} onClose={() => setCreated(null)} title="Access key created">
        {created && (
          <>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Copy the secret now: it is shown only once and cannot be retrieved later.
            </p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-2 text-sm">
              <dt className="font-medium">Access key ID</dt>
              <dd className="font-mono break-all" data-testid="new-access-key-id">{created.AccessKeyId}</dd>
              <dt className="font-medium">Secret access key</dt>
              <dd className="font-mono break-all" data-testid="new-secret-access-key">{created.SecretAccessKey}</dd>
            </dl>
            <div className="flex justify-end gap-2">
              <Button
                variant="secondary"
                onClick={() =>
                  navigator.clipboard
                    ?.writeText(`AWS_ACCESS_KEY_ID=${created.AccessKeyId}\nAWS_SECRET_ACCESS_KEY=${created.SecretAccessKey}\n`)
                    .then(() => toast("success", "Copied as environment variables"))
                    .catch(() => toast("error", "Copy failed; select the text instead"))
                }
              >
                Copy as env vars
              </Button>
              <Button onClick={() => setCreated(null)}>I have stored it</Button>
            </div>
          </>
        )}
      </Dialog>

      <Dialog open={!!confirmDelete} onClose={() => setConfirmDelete(null)} title="Delete access key?">
        <p className="text-sm">
          Applications using <code className="font-mono">{confirmDelete}</code> will stop working at once. This cannot be undone.
        </p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirmDelete(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              const id = confirmDelete!;
              setConfirmDelete(null);
              mutate.mutate(() => unwrap(deleteAccessKeyAction({ accessKeyId: id })), { onSuccess: () => toast("success", `${id} deleted`) });
            }}
          >
            Delete
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
