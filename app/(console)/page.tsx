import type { Metadata } from "next";
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/current";
import { ROLE_LABELS } from "@/lib/access/authorize";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const principal = await requirePrincipal();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Welcome, {principal.username}</h1>
      <section className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="mb-2 font-medium">Your access</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          You are signed in as <code className="font-mono">{principal.arn}</code> with the role{" "}
          <strong>{principal.role ? ROLE_LABELS[principal.role] : "none"}</strong>.
          {!principal.role && " Ask an administrator to give you a role before you can work with keys or users."}
        </p>
        <p className="mt-3 text-sm">
          <Link href="/account" className="text-indigo-600 hover:underline dark:text-indigo-400">
            Change your password
          </Link>
        </p>
      </section>
    </div>
  );
}
