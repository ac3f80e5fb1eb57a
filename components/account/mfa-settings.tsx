"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { beginPasskeyAction, finishPasskeyAction, getMyMfaAction, regenerateRecoveryCodesAction, removeFactorAction } from "@/app/actions/mfa";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import type { MfaFactorSummary } from "@/lib/accounts/mfa-factors";
import { unwrap } from "@/lib/console/client";
import { AddAuthenticatorDialog } from "./add-authenticator-dialog";
import { RecoveryCodesDialog } from "./recovery-codes-dialog";

const TYPE_LABEL = { totp: "Authenticator app", webauthn: "Passkey" } as const;

/** The Account page's MFA section: factors, adding and removing them, recovery codes. */
export function MfaSettings() {
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const mfa = useQuery({ queryKey: ["my-mfa"], queryFn: () => unwrap(getMyMfaAction()) });
  const [adding, setAdding] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [removing, setRemoving] = useState<MfaFactorSummary | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ["my-mfa"] });
  const mutate = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSettled: refresh,
    onError: (e) => toast("error", e.message),
  });

  const added = (recoveryCodes: string[] | null, what: string) => {
    setAdding(false);
    toast("success", `${what} added`);
    if (recoveryCodes) setCodes(recoveryCodes);
    void refresh();
    router.refresh(); // a role that required MFA lets the console open now
  };

  async function addPasskey() {
    mutate.mutate(async () => {
      const begun = await unwrap(beginPasskeyAction());
      let response;
      try {
        response = await startRegistration({ optionsJSON: begun.options as Parameters<typeof startRegistration>[0]["optionsJSON"] });
      } catch {
        throw new Error("The passkey was not created.");
      }
      const done = await unwrap(finishPasskeyAction({ handle: begun.handle, name: "Passkey", response: response as unknown as Record<string, unknown> }));
      added(done.recoveryCodes, "Passkey");
    });
  }

  return (
    <div className="flex flex-col gap-4">
      {mfa.isPending && <p role="status" className="text-sm text-slate-500">Loading…</p>}
      {mfa.isError && <p role="alert" className="text-sm text-red-600">{mfa.error.message}</p>}
      {mfa.data && (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {mfa.data.factors.length === 0
              ? mfa.data.requiredByRole
                ? "Your role requires a second factor. Add an authenticator app or a passkey to continue."
                : "Add an authenticator app or a passkey: signing in then needs it as well as your password."
              : `Signing in needs your password and one of these. ${mfa.data.recoveryCodesLeft} unused recovery codes left.`}
          </p>
          {mfa.data.factors.length > 0 && (
            <ul aria-label="Second factors" className="divide-y divide-slate-100 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
              {mfa.data.factors.map((f) => (
                <li key={f.id} className="flex items-center justify-between gap-2 px-3 py-2 text-sm" data-testid={`factor-${f.type}`}>
                  <span className="flex items-center gap-2">
                    <Badge tone="indigo">{TYPE_LABEL[f.type]}</Badge>
                    {f.name}
                    <span className="text-xs text-slate-500">{f.lastUsedAt ? `used ${new Date(f.lastUsedAt).toLocaleString()}` : "not used yet"}</span>
                  </span>
                  <Button variant="secondary" size="sm" onClick={() => setRemoving(f)}>
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => setAdding(true)}>Add authenticator app</Button>
            <Button variant="secondary" onClick={addPasskey} busy={mutate.isPending}>
              Add passkey
            </Button>
            {mfa.data.factors.length > 0 && (
              <Button variant="secondary" onClick={() => mutate.mutate(async () => setCodes((await unwrap(regenerateRecoveryCodesAction())).recoveryCodes))}>
                New recovery codes
              </Button>
            )}
          </div>
        </>
      )}
      <AddAuthenticatorDialog open={adding} onClose={() => setAdding(false)} onAdded={(c) => added(c, "Authenticator app")} />
      <RecoveryCodesDialog codes={codes} onClose={() => setCodes(null)} />
      <ConfirmDialog
        open={!!removing}
        title="Remove second factor"
        confirmLabel="Remove"
        tone="danger"
        busy={mutate.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          const f = removing!;
          setRemoving(null);
          mutate.mutate(() => unwrap(removeFactorAction({ factorId: f.id })), { onSuccess: () => toast("success", `${f.name} removed`) });
        }}
      >
        Remove <strong>{removing?.name}</strong>? Your other sessions end.
      </ConfirmDialog>
    </div>
  );
}
