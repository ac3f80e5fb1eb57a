import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/console/auth/current";
import { ChangePasswordForm } from "@/components/account/change-password-form";

export const metadata: Metadata = { title: "Choose a new password" };
export const dynamic = "force-dynamic";

export default async function ChangePasswordPage() {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="mb-2 text-xl font-semibold">Choose a new password</h1>
        <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
          {principal.mustChangePassword
            ? "Your password was set by someone else. Choose your own before you continue."
            : "Change the password you sign in with."}
        </p>
        <ChangePasswordForm username={principal.username} />
      </div>
    </main>
  );
}
