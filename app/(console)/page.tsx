import type { Metadata } from "next";
import Link from "next/link";
import { countdown, SPEC_LABELS, STATE_LABELS } from "@/components/keys/labels";
import { DemoSeedButton } from "./demo-seed-button";
import { DateTime } from "@/components/ui/date-time";
import { AUDIT_READERS } from "@/lib/audit/access";
import { auditUsage, type AuditUsage } from "@/lib/audit/query";
import { auditSummary } from "@/lib/audit/summary";
import { requirePrincipal } from "@/lib/console/auth/current";
import type { Principal } from "@/lib/auth/principal";
import { ROLE_LABELS } from "@/lib/access/authorize";
import { keyDashboard } from "@/lib/console/keys/queries";
import { CallsPerMinute } from "@/components/audit/calls-per-minute";
import { mayCreateKeys } from "@/lib/console/keys/capabilities";
import type { KeyDashboard } from "@/lib/console/keys/types";

export const metadata: Metadata = { title: "Dashboard" };

const card = "rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";

/** Denied calls of the last 24 hours, or null when the trail cannot be read. */
async function deniedLastDay(principal: Principal): Promise<number | null> {
  const from = new Date(Date.now() - 86_400_000);
  return auditSummary(principal, { from, outcome: "denied", hideConsoleViews: true }).then(
    (s) => s.total,
    () => null,
  );
}

/** Calls per minute over the last hour (the chart's range), or undefined to let the chart fetch it. */
async function lastHourUsage(principal: Principal): Promise<AuditUsage | undefined> {
  const to = new Date();
  return auditUsage(principal, { bucket: "minute", from: new Date(to.getTime() - 3_600_000), to }).catch(() => undefined);
}

export default async function DashboardPage() {
  const principal = await requirePrincipal();
  const readsAudit = !principal.mustChangePassword && !!principal.role && (AUDIT_READERS as readonly string[]).includes(principal.role);
  // Three independent reads, at once (in series they were a third of the page's time at 1,000,000 events).
  const [stats, denied, usage] = await Promise.all([
    // The service layer decides (kms:ListKeys under the caller's built-in and custom roles; a password
    // that must be changed first): no stats when it refuses.
    principal.mustChangePassword ? null : keyDashboard(principal).catch((): KeyDashboard | null => null),
    // Denied calls of the last 24 hours (an audited GetAuditSummary, flagged as a console view).
    readsAudit ? deniedLastDay(principal) : null,
    // The chart's first data with the page: no round trip from the browser after hydration.
    readsAudit ? lastHourUsage(principal) : undefined,
  ]);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Welcome, {principal.username}</h1>

      {readsAudit && <CallsPerMinute initialData={usage} />}

      {stats && (
        <>
          <section aria-label="Keys by state" className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
            <Link href="/keys" className={`${card} hover:border-indigo-400`}>
              <p className="text-sm text-slate-500">All keys</p>
              <p className="text-3xl font-semibold" data-testid="dashboard-total">
                {stats.total.toLocaleString("en-US")}
              </p>
            </Link>
            {Object.entries(STATE_LABELS).map(([state, label]) => (
              <Link key={state} href={`/keys?status=${encodeURIComponent(state)}`} className={`${card} hover:border-indigo-400`} data-testid={`dashboard-state-${state}`}>
                <p className="text-sm text-slate-500">{label}</p>
                <p className="text-3xl font-semibold">{(stats.byState[state] ?? 0).toLocaleString("en-US")}</p>
              </Link>
            ))}
            {denied !== null && (
              <Link href="/audit?outcome=denied&range=24h" className={`${card} hover:border-red-400`} data-testid="dashboard-denied">
                <p className="text-sm text-slate-500">Denied calls (24 h)</p>
                <p className={`text-3xl font-semibold ${denied > 0 ? "text-red-700 dark:text-red-400" : ""}`}>{denied.toLocaleString("en-US")}</p>
              </Link>
            )}
          </section>

          {stats.total === 0 && (
            <section className={`${card} text-sm`}>
              <p className="font-medium">No keys yet.</p>
              {mayCreateKeys(principal) && (
                <Link href="/keys/new" className="mt-2 inline-block text-indigo-700 underline dark:text-indigo-300">
                  Create your first key
                </Link>
              )}
              {principal.role === "ADMINISTRATOR" && <DemoSeedButton />}
            </section>
          )}

          <div className="grid gap-4 lg:grid-cols-3">
            <section className={card} aria-labelledby="by-spec">
              <h2 id="by-spec" className="mb-3 font-medium">
                Keys by spec
              </h2>
              {Object.keys(stats.bySpec).length === 0 ? (
                <p className="text-sm text-slate-500">—</p>
              ) : (
                <ul className="flex flex-col gap-2 text-sm">
                  {Object.entries(stats.bySpec)
                    .sort((a, b) => b[1] - a[1])
                    .map(([spec, n]) => (
                      <li key={spec} className="flex items-center gap-2">
                        <Link href={`/keys?spec=${encodeURIComponent(spec)}`} className="w-40 shrink-0 text-indigo-700 hover:underline dark:text-indigo-300">
                          {SPEC_LABELS[spec] ?? spec}
                        </Link>
                        <span className="h-2 rounded bg-indigo-500" style={{ width: `${Math.max(4, (n / stats.total) * 100)}%` }} aria-hidden />
                        <span className="tabular-nums">{n.toLocaleString("en-US")}</span>
                      </li>
                    ))}
                </ul>
              )}
            </section>
            <section className={card} aria-labelledby="rotation-due">
              <h2 id="rotation-due" className="mb-3 font-medium">
                Rotation due in 30 days
              </h2>
              {stats.rotationDue.length === 0 ? (
                <p className="text-sm text-slate-500">No key rotates in the next 30 days.</p>
              ) : (
                <ul className="flex flex-col gap-1 text-sm">
                  {stats.rotationDue.map((k) => (
                    <li key={k.id}>
                      <Link href={`/keys/${k.id}`} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
                        {k.aliases[0] ?? k.id}
                      </Link>{" "}
                      <DateTime value={k.nextRotationDate} className="text-slate-500" />
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className={card} aria-labelledby="pending-deletion">
              <h2 id="pending-deletion" className="mb-3 font-medium">
                Pending deletion
              </h2>
              {stats.pendingDeletion.length === 0 ? (
                <p className="text-sm text-slate-500">No key is scheduled for deletion.</p>
              ) : (
                <ul className="flex flex-col gap-1 text-sm">
                  {stats.pendingDeletion.map((k) => (
                    <li key={k.id}>
                      <Link href={`/keys/${k.id}`} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
                        {k.aliases[0] ?? k.id}
                      </Link>{" "}
                      <span className="text-red-700 dark:text-red-300">
                        <DateTime value={k.deletionDate} /> ({countdown(k.deletionDate)})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </>
      )}


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
