import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { currentPrincipal } from "@/lib/console/auth/current";
import { oidcSettings } from "@/lib/auth/sso";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await currentPrincipal()) redirect("/");
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-center gap-2">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/icon.svg" alt="" className="size-8" />
          <h1 className="text-xl font-semibold">Sign in to Keyhold</h1>
        </div>
        <Suspense>
          <SignInForm sso={!!oidcSettings()} />
        </Suspense>
      </div>
    </main>
  );
}
