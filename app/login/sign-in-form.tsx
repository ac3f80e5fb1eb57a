"use client";

import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { SSO_REFUSED_ERROR, ssoRefusalMessage } from "@/lib/auth/sso-refusals";
import { SecondFactorForm } from "./second-factor-form";

/** The password step's answer when a second factor is needed (lib/console/auth/options.ts MFA_REQUIRED_PREFIX). */
const MFA_REQUIRED_PREFIX = "MFA_REQUIRED:";

export function SignInForm({ sso = false }: { sso?: boolean }) {
  const router = useRouter();
  const params = useSearchParams();
  // A refused single sign-on comes back with ?error=SsoRefused&reason=<code> (lib/auth/sso-refusals.ts);
  // next-auth's own failures with ?error=<code> (OAuthCallback, Callback, AccessDenied…).
  const [error, setError] = useState(() => {
    const code = params.get("error");
    if (code === SSO_REFUSED_ERROR) return ssoRefusalMessage(params.get("reason"));
    return code ? "Single sign-on did not complete: your account may have no Keyhold role. Ask an administrator." : "";
  });
  const [busy, setBusy] = useState(false);
  const [mfaToken, setMfaToken] = useState<string | null>(null);

  const done = useCallback(() => {
    // Only same-origin paths: never an open redirect.
    router.replace(safeCallbackPath(params.get("callbackUrl")));
    router.refresh();
  }, [router, params]);
  const restart = useCallback((message: string) => {
    setMfaToken(null);
    setBusy(false);
    setError(message);
  }, []);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError("");
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      username: form.get("username"),
      password: form.get("password"),
      redirect: false,
    });
    if (res?.ok && !res.error) return done();
    setBusy(false);
    if (res?.error?.startsWith(MFA_REQUIRED_PREFIX)) {
      setMfaToken(res.error.slice(MFA_REQUIRED_PREFIX.length));
      return;
    }
    setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Invalid username or password");
  }

  if (mfaToken) return <SecondFactorForm mfaToken={mfaToken} onDone={done} onRestart={restart} />;
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <Field label="Username">
        {(p) => <Input {...p} name="username" autoComplete="username" required autoFocus />}
      </Field>
      <Field label="Password">
        {(p) => <Input {...p} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      {error && (
        <p data-testid="sign-in-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      )}
      <Button type="submit" busy={busy}>
        Sign in
      </Button>
      {sso && (
        <Button type="button" variant="secondary" onClick={() => void signIn("oidc", { callbackUrl: safeCallbackPath(params.get("callbackUrl")) })}>
          Continue with single sign-on
        </Button>
      )}
    </form>
  );
}
