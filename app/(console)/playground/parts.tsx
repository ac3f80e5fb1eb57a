"use client";

import { explainDenial } from "@/components/policy/decision-text";
import { cn } from "@/components/ui/cn";
import type { ActionFailure } from "@/lib/console/result";

export const box = "rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";

/** "What travels where": the browser's side, the calls between, Keyhold's side. */
export function Travel({ browser, calls, keyhold, note }: { browser: string; calls: string[]; keyhold: string; note?: string }) {
  return (
    <figure className="grid gap-3 text-center text-xs md:grid-cols-[1fr_auto_1fr]" aria-label="What travels where">
      <div className="rounded-md border border-indigo-300 p-3 dark:border-indigo-800">
        <p className="font-semibold">Your browser</p>
        <p>{browser}</p>
      </div>
      <div className="flex flex-col justify-center gap-1 font-mono">
        {calls.map((c) => (
          <span key={c}>{c}</span>
        ))}
        {note && <span className="text-slate-600 dark:text-slate-400">({note})</span>}
      </div>
      <div className="rounded-md border border-emerald-300 p-3 dark:border-emerald-800">
        <p className="font-semibold">Keyhold</p>
        <p>{keyhold}</p>
      </div>
    </figure>
  );
}

/** A refusal: a policy denial names the statement that decided it; other errors say what went wrong. */
export function Failure({ failure }: { failure: ActionFailure | null }) {
  if (!failure) return null;
  return (
    <div role="alert" data-testid="playground-failure" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      {failure.deniedBy ? (
        <>
          <p className="font-medium">Access denied</p>
          <p data-testid="denial">{explainDenial(failure.deniedBy)}</p>
          <p className="mt-1 text-xs">The refusal was recorded in the audit trail like any call.</p>
        </>
      ) : (
        <p>
          {failure.name}: {failure.message}
        </p>
      )}
    </div>
  );
}

/** Results as label/value rows; values in monospace, wrapped anywhere. */
export function Values({ rows }: { rows: Array<[label: string, value: string, testId?: string]> }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[max-content_1fr]">
      {rows.map(([l, v, testId]) => (
        <div key={l} className="contents">
          <dt className="text-slate-600 dark:text-slate-400">{l}</dt>
          <dd className="font-mono text-xs break-all" data-testid={testId}>
            {v}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A verdict: green when it held, amber when the service (rightly) refused. */
export function Verdict({ ok, children, testId }: { ok: boolean; children: React.ReactNode; testId?: string }) {
  return (
    <p
      data-testid={testId}
      className={cn(
        "rounded-md px-3 py-2 text-sm",
        ok ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
      )}
    >
      {children}
    </p>
  );
}
