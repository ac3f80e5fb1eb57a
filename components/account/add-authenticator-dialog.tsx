"use client";

import { useState } from "react";
import { beginTotpAction, confirmTotpAction } from "@/app/actions/mfa";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";

type Enrolment = { factorId: string; secret: string; qrDataUrl: string };

/** TOTP enrolment: name → QR code (and the secret as text) → first code confirms it. */
export function AddAuthenticatorDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: (recoveryCodes: string[] | null) => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const close = () => {
    setEnrolment(null);
    setError("");
    setBusy(false);
    onClose();
  };

  async function begin(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError("");
    const result = await beginTotpAction({ name: String(new FormData(e.currentTarget).get("name") ?? "") });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setEnrolment(result.data);
  }

  async function confirm(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!enrolment) return;
    setBusy(true);
    setError("");
    const result = await confirmTotpAction({ factorId: enrolment.factorId, code: String(new FormData(e.currentTarget).get("code") ?? "") });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setEnrolment(null);
    onAdded(result.data.recoveryCodes);
  }

  const errorBox = error && (
    <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
      {error}
    </p>
  );

  return (
    <Dialog open={open} onClose={close} title="Add an authenticator app">
      {!enrolment ? (
        <form onSubmit={begin} className="flex flex-col gap-4">
          <Field label="Name" hint="To tell your devices apart, e.g. “work phone”.">
            {(p) => <Input {...p} name="name" defaultValue="Authenticator app" required maxLength={64} autoFocus />}
          </Field>
          {errorBox}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" busy={busy}>
              Continue
            </Button>
          </div>
        </form>
      ) : (
        <form onSubmit={confirm} className="flex flex-col gap-4">
          <p className="text-sm text-slate-600 dark:text-slate-400">Scan this QR code with your authenticator app, or type the key in.</p>
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={enrolment.qrDataUrl} alt="QR code for your authenticator app" className="size-48 self-center rounded bg-white p-1" />
          <p className="text-xs text-slate-500">
            Key: <code data-testid="totp-secret" className="font-mono break-all">{enrolment.secret}</code>
          </p>
          <Field label="Code from the app" hint="The 6-digit code it shows now.">
            {(p) => <Input {...p} name="code" required inputMode="numeric" pattern="[0-9]{6}" maxLength={6} autoComplete="one-time-code" autoFocus />}
          </Field>
          {errorBox}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" busy={busy}>
              Verify and add
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
