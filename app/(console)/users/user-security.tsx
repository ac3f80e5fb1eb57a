"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SessionsList } from "@/components/account/sessions-list";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { ROLE_LABELS, ROLES } from "@/lib/access/authorize";
import { unwrap, type ActionError } from "@/lib/console/client";
import type { Role } from "@/lib/db/client";
import { getMfaPolicyAction, listUserMfaAction, resetUserMfaAction, setMfaPolicyAction } from "./mfa-actions";

const MFA_KEY = ["users", "mfa"];

/** Per user on the Users page: MFA status, their active sessions, and resetting lost factors. */
export function UserSecurityActions({ user }: { user: { id: string; username: string; serviceAccount: boolean } }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const mfa = useQuery({ queryKey: MFA_KEY, queryFn: () => unwrap(listUserMfaAction()), refetchInterval: 15_000 });
  const factors = mfa.data?.find((m) => m.userId === user.id)?.factors ?? 0;
  const [viewing, setViewing] = useState(false);
  const [resetting, setResetting] = useState(false);
  const reset = useMutation({
    mutationFn: () => unwrap(resetUserMfaAction({ userId: user.id })),
    onSuccess: () => toast("success", `MFA of ${user.username} reset; their sessions ended`),
    // Held for approval (a rule protects ResetUserMfa) is no failure: the Approvals page shows the request.
    onError: (e) => ((e as ActionError).approvalRequestId ? toast("info", `Approval requested. ${e.message}`) : toast("error", e.message)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: MFA_KEY }),
  });
  if (user.serviceAccount) return null;
  return (
    <>
      {factors > 0 ? <Badge tone="green">MFA</Badge> : <Badge tone="slate">No MFA</Badge>}
      <Button variant="secondary" size="sm" onClick={() => setViewing(true)}>
        Sessions
      </Button>
      {factors > 0 && (
        <Button variant="secondary" size="sm" onClick={() => setResetting(true)}>
          Reset MFA
        </Button>
      )}
      <Dialog open={viewing} onClose={() => setViewing(false)} title={`Sessions of ${user.username}`}>
        {viewing && <SessionsList userId={user.id} />}
        <div className="flex justify-end">
          <Button variant="secondary" onClick={() => setViewing(false)}>
            Close
          </Button>
        </div>
      </Dialog>
      <ConfirmDialog
        open={resetting}
        title={`Reset MFA of ${user.username}`}
        confirmLabel="Reset MFA"
        tone="danger"
        typeToConfirm={user.username}
        busy={reset.isPending}
        onClose={() => setResetting(false)}
        onConfirm={() => {
          setResetting(false);
          reset.mutate();
        }}
      >
        Removes every authenticator, passkey and recovery code of {user.username} and ends their sessions. Do this only after
        you have made sure who is asking. They sign in with their password and set up MFA again.
      </ConfirmDialog>
    </>
  );
}

/** Which roles must use MFA (above the Users table). */
export function MfaPolicyPanel() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const policy = useQuery({ queryKey: ["mfa-policy"], queryFn: () => unwrap(getMfaPolicyAction()) });
  const save = useMutation({
    mutationFn: (roles: Role[]) => unwrap(setMfaPolicyAction({ roles })),
    onSuccess: () => toast("success", "MFA requirement saved"),
    // Held for approval (a rule protects UpdateMfaPolicy): nothing changes until it is approved.
    onError: (e) => ((e as ActionError).approvalRequestId ? toast("info", `Approval requested; the MFA requirement is unchanged until it is approved. ${e.message}`) : toast("error", e.message)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["mfa-policy"] }),
  });
  const required = new Set(policy.data?.requiredRoles ?? []);
  return (
    <fieldset className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-800 dark:bg-slate-900">
      <legend className="px-1 font-medium">Require MFA for</legend>
      {ROLES.map((role) => (
        <label key={role} className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={required.has(role)}
            disabled={!policy.data || save.isPending}
            onChange={(e) => {
              const next = new Set(required);
              if (e.target.checked) next.add(role);
              else next.delete(role);
              save.mutate([...next]);
            }}
          />
          {ROLE_LABELS[role]}
        </label>
      ))}
    </fieldset>
  );
}
