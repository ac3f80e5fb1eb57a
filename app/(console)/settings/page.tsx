import type { Metadata } from "next";
import { requirePrincipal } from "@/lib/auth/current";
import { readSettings } from "@/lib/settings/overview";
import { RootKeyCustodyCard } from "@/components/settings/root-key-custody";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const settings = await readSettings(await requirePrincipal());
  const rows: Array<[string, string]> = [
    ["Account ID", settings.accountId],
    ["Region", settings.region],
    ["Database", settings.database === "embedded" ? "Embedded (PGlite in the data folder)" : "PostgreSQL"],
    ["Version", settings.version],
  ];
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <dl className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {rows.map(([label, value]) => (
          <div key={label} className="grid grid-cols-3 gap-4 px-6 py-4 text-sm">
            <dt className="font-medium text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="col-span-2 font-mono" data-testid={`setting-${label.toLowerCase().replace(/\s+/g, "-")}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <RootKeyCustodyCard />
    </div>
  );
}
