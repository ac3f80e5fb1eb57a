"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { changeOwnPasswordAction } from "@/app/actions/account";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";

export function ChangePasswordForm({ username }: { username: string }) {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const currentPassword = String(form.get("currentPassword") ?? "");
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== form.get("confirmPassword")) {
      setError("The new passwords do not match");
      return;
    }
    setBusy(true);
    setError("");
    const result = await changeOwnPasswordAction({ currentPassword, newPassword });
    if (!result.ok) {
      setBusy(false);
      setError(result.error.message);
      return;
    }
    // Changing the password ends every session, this one too: sign in again with the new one.
    await signIn("credentials", { username, password: newPassword, redirect: false });
    formEl.reset();
    setBusy(false);
    toast("success", "Password changed");
    router.replace("/");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <Field label="Current password">
        {(p) => <Input {...p} name="currentPassword" type="password" autoComplete="current-password" required />}
      </Field>
      <Field label="New password" hint="At least 12 characters.">
        {(p) => <Input {...p} name="newPassword" type="password" autoComplete="new-password" minLength={12} required />}
      </Field>
      <Field label="Confirm new password">
        {(p) => <Input {...p} name="confirmPassword" type="password" autoComplete="new-password" required />}
      </Field>
      {error && (
        <p data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      )}
      <Button type="submit" busy={busy}>
        Change password
      </Button>
    </form>
  );
}
