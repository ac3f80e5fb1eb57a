import type { Metadata } from "next";
import { RuntimeSettingsForm } from "@/components/settings/runtime-settings-form";
import { getSettings } from "@/lib/accounts/settings";
import { requirePrincipal } from "@/lib/console/auth/current";
import { readSettings } from "@/lib/settings/overview";
import { RootKeyCustodyCard } from "@/components/settings/root-key-custody";
import { updateSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

const minutes = (n: number) => (n % 60 === 0 ? `${n / 60} h (${n} minutes)` : `${n} minutes`);

export default async function SettingsPage() {
  const principal = await requirePrincipal();
  const [settings, runtime] = await Promise.all([readSettings(principal), getSettings(principal)]);
  const rows: Array<[string, string, string?]> = [
    ["Account ID", settings.accountId],
    ["Region", settings.region],
    ["Database", settings.database === "embedded" ? "Embedded (PGlite in the data folder)" : "PostgreSQL"],
    ["Version", settings.version],
    ["Session idle timeout", minutes(settings.sessionIdleMinutes), "KEYHOLD_SESSION_IDLE_MINUTES"],
    ["Session maximum lifetime", minutes(settings.sessionMaxMinutes), "KEYHOLD_SESSION_MAX_MINUTES"],
  ];
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <section aria-labelledby="installation-title" className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <h2 id="installation-title" className="px-6 pt-5 text-lg font-medium">
          Installation
        </h2>
        <p className="px-6 text-sm text-slate-600 dark:text-slate-400">Set by the environment at start-up; read-only here.</p>
        <dl className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
          {rows.map(([label, value, env]) => (
            <div key={label} className="grid grid-cols-3 gap-4 px-6 py-3 text-sm">
              <dt className="font-medium text-slate-600 dark:text-slate-400">{label}</dt>
              <dd className="col-span-2">
                <span className="font-mono" data-testid={`setting-${label.toLowerCase().replace(/\s+/g, "-")}`}>
                  {value}
                </span>
                {env && <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">({env})</span>}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <RuntimeSettingsForm settings={runtime} canEdit={principal.role === "ADMINISTRATOR"} save={updateSettingsAction} />
      <RootKeyCustodyCard />
    </div>
  );
}
