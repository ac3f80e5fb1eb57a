"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useState } from "react";
import { stepUpAction, stepUpPasskeyOptionsAction } from "@/app/actions/mfa";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";

/** A 6-digit code is from the authenticator app; anything longer is a recovery code. */
const isTotp = (code: string) => /^\d{6}$/.test(code.replace(/\s+/g, ""));

/** Asks for a fresh second factor (step-up) for this session. */
export function StepUpDialog({ open, onClose, onVerified }: { open: boolean; onClose: () => void; onVerified: () => void }) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const close = () => {
    setError("");
    setBusy(false);
    onClose();
  };

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get("code") ?? "").trim();
    setBusy(true);
    setError("");
    const result = await stepUpAction(isTotp(code) ? { method: "totp", code } : { method: "recovery", code });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onVerified();
  }

  async function withPasskey() {
    setBusy(true);
    setError("");
    try {
      const options = await stepUpPasskeyOptionsAction();
      if (!options.ok) throw new Error(options.error.message);
      if (!options.data) throw new Error("You have no passkey: use a code.");
      const assertion = await startAuthentication({ optionsJSON: options.data.options as Parameters<typeof startAuthentication>[0]["optionsJSON"] });
      const result = await stepUpAction({ method: "webauthn", handle: options.data.handle, assertion: assertion as unknown as Record<string, unknown> });
      if (!result.ok) throw new Error(result.error.message);
      setBusy(false);
      onVerified();
    } catch (e) {
      setBusy(false);
      setError(e instanceof Error && e.message ? e.message : "The passkey was not used.");
    }
  }

  return (
    <Dialog open={open} onClose={close} title="Confirm it is you">
      <form onSubmit={onSubmit} className="flex flex-col gap-4">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          This action needs a fresh second factor. It stays confirmed for 5 minutes in this session.
        </p>
        <Field label="Authentication or recovery code" hint="The 6-digit code from your authenticator app, or a recovery code.">
          {(p) => <Input {...p} name="code" autoComplete="one-time-code" required autoFocus maxLength={24} />}
        </Field>
        {error && (
          <p role="alert" data-testid="step-up-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {error}
          </p>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="button" variant="secondary" onClick={withPasskey} disabled={busy}>
            Use a passkey
          </Button>
          <Button type="submit" busy={busy}>
            Confirm
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
