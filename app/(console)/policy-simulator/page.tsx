import type { Metadata } from "next";
import { PolicySimulator } from "@/components/policy/simulator";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/console/auth/current";

export const metadata: Metadata = { title: "Policy simulator" };

export default async function PolicySimulatorPage({ searchParams }: { searchParams: Promise<{ keyId?: string }> }) {
  const [principal, { keyId }] = await Promise.all([requirePrincipal(), searchParams]);
  // The page only decides what to render; simulatePolicy authorizes every call.
  if (principal.role !== "ADMINISTRATOR" && principal.role !== "AUDITOR") return <Forbidden what="the policy simulator" />;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Policy simulator</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          What Keyhold would decide — key policy, the principals&apos; role identity policies and grants — for each principal and action, and
          which statement decided it. Nothing is called and nothing changes.
        </p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
        <PolicySimulator initialKeyId={(keyId ?? "").slice(0, 2048)} />
      </div>
    </div>
  );
}
