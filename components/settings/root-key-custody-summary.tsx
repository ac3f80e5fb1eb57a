import { KeyRound } from "lucide-react";
import type { SettingsOverview } from "@/lib/settings/overview";

/** Read-only: where the root key that wraps all key material is held, and its state. */
export function RootKeyCustodySummary({ rootKey }: { rootKey: SettingsOverview["rootKey"] }) {
  return (
    <section aria-labelledby="root-key-title" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="root-key-title" className="flex items-center gap-2 text-lg font-medium">
        <KeyRound aria-hidden className="size-5" /> Root key custody
      </h2>
      <dl className="mt-3 grid grid-cols-3 gap-x-4 gap-y-2 text-sm">
        <dt className="font-medium text-slate-600 dark:text-slate-400">Custody</dt>
        <dd className="col-span-2" data-testid="setting-root-key-custody">
          {rootKey.custody === "environment" ? "Environment variable KEYHOLD_ROOT_KEY" : "Local key file"}
        </dd>
        {rootKey.custody === "file" && (
          <>
            <dt className="font-medium text-slate-600 dark:text-slate-400">Key file</dt>
            <dd className="col-span-2 font-mono break-all">{rootKey.path} (mode 0600)</dd>
          </>
        )}
        <dt className="font-medium text-slate-600 dark:text-slate-400">State</dt>
        <dd className="col-span-2" data-testid="setting-root-key-state">
          Loaded: the server unwrapped its key material with it at start-up
        </dd>
      </dl>
      <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
        Anyone holding the root key and a database copy can read every key. Keep a copy offline; it cannot be changed from the console.
      </p>
    </section>
  );
}
