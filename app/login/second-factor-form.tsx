"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { signIn } from "next-auth/react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { secondStepMethodsAction, secondStepPasskeyOptionsAction } from "./actions";

type Methods = { totp: boolean; passkey: boolean };

/**
 * The second sign-in step: a code from the authenticator app, a recovery
 * code, or a passkey. `mfaToken` is the single-use handle from the password
 * step; the session is issued only when this step succeeds.
 */
export function SecondFactorForm({ mfaToken, onDone, onRestart }: { mfaToken: string; onDone: () => void; onRestart: (error: string) => void }) {
  const [methods, setMethods] = useState<Methods | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void secondStepMethodsAction(mfaToken).then((m) => (m ? setMethods(m) : onRestart("Your sign-in has expired. Enter your username and password again.")));
  }, [mfaToken, onRestart]);

  async function finish(credentials: Record<string, string>) {
    const res = await signIn("mfa", { mfaToken, ...credentials, redirect: false });
    if (res?.ok && !res.error) return onDone();
    setBusy(false);
    const message = res?.error && res.error !== "CredentialsSignin" ? res.error : "That code or passkey was not accepted. Try again.";
    if (/expired/.test(message)) return onRestart(message);
    setError(message);
  }

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError("");
    const code = String(new FormData(e.currentTarget).get("code") ?? "");
    await finish({ method: useRecovery ? "recovery" : "totp", code });
  }

  async function withPasskey() {
    setBusy(true);
    setError("");
    try {
      const optionsJSON = await secondStepPasskeyOptionsAction(mfaToken);
      if (!optionsJSON) return onRestart("Your sign-in has expired. Enter your username and password again.");
      const assertion = await startAuthentication({ optionsJSON });
      await finish({ method: "webauthn", assertion: JSON.stringify(assertion) });
    } catch {
      setBusy(false);
      setError("The passkey was not used. Try again, or use a code.");
    }
  }

  if (!methods) return <p className="text-sm text-slate-600 dark:text-slate-400" role="status">Checking your sign-in…</p>;
  const codeEntry = useRecovery || methods.totp;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">Your password is correct. Confirm it is you with your second factor.</p>
      {methods.passkey && (
        <Button type="button" onClick={withPasskey} busy={busy && !codeEntry}>
          Use a passkey
        </Button>
      )}
      {codeEntry && (
        <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Second factor code">
          <Field label={useRecovery ? "Recovery code" : "Authentication code"} hint={useRecovery ? "One of the codes you saved when you set up MFA." : "The 6-digit code from your authenticator app."}>
            {(p) => (
              <Input
                {...p}
                key={useRecovery ? "recovery" : "totp"}
                name="code"
                required
                autoFocus
                autoComplete="one-time-code"
                inputMode={useRecovery ? "text" : "numeric"}
                pattern={useRecovery ? undefined : "[0-9]{6}"}
                maxLength={useRecovery ? 24 : 6}
              />
            )}
          </Field>
          <Button type="submit" busy={busy}>
            Verify
          </Button>
        </form>
      )}
      {error && (
        <p data-testid="sign-in-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      )}
      <button type="button" className="self-start text-sm text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => setUseRecovery((v) => !v)}>
        {useRecovery ? (methods.totp ? "Use your authenticator app" : "Back") : "Use a recovery code"}
      </button>
    </div>
  );
}
