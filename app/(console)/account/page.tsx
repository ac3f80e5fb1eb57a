import type { Metadata } from "next";
import { requirePrincipal } from "@/lib/console/auth/current";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { MfaSettings } from "@/components/account/mfa-settings";
import { SessionsList } from "@/components/account/sessions-list";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const principal = await requirePrincipal();
  return (
    <div className="flex max-w-lg flex-col gap-6">
      <h1 className="text-2xl font-semibold">Account</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Signed in as <code className="font-mono">{principal.arn}</code>
      </p>
      <section className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="mb-4 font-medium">Change password</h2>
        <ChangePasswordForm username={principal.username} />
      </section>
      <section aria-labelledby="mfa-heading" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="mfa-heading" className="mb-4 font-medium">Multi-factor authentication</h2>
        <MfaSettings />
      </section>
      <section aria-labelledby="sessions-heading" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="sessions-heading" className="mb-4 font-medium">Active sessions</h2>
        <SessionsList />
      </section>
    </div>
  );
}
