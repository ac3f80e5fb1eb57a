"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { listSimulationPrincipalsAction, simulatePolicyAction } from "@/app/(console)/policy-simulator/actions";
import { getJson, unwrap, type ActionError } from "@/components/keys/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import type { KeyListPage } from "@/lib/console/keys/types";
import type { SimulationResult } from "@/lib/kms/simulate";
import { describeStatement, REASONS } from "./decision-text";
import { KMS_ACTION_GROUPS } from "./kms-actions";
import { principalLabel } from "./statements";

/** "a=b" lines (or commas) → an encryption context, or the first line that is not key=value. */
export function parseContextLines(text: string): { context: Record<string, string>; error: string } {
  const context: Record<string, string> = {};
  for (const raw of text.split(/\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { context, error: `"${line}" is not key=value.` };
    context[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { context, error: "" };
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

/**
 * The policy simulator: principals × actions on a key (or the account), with
 * an optional encryption context and source IP; what the engine decides and
 * which statement decided it. `keyId` fixes the key (the key page's panel).
 */
export function PolicySimulator({ keyId, initialKeyId = "" }: { keyId?: string; initialKeyId?: string }) {
  const id = useId();
  const principals = useQuery({
    queryKey: ["simulation-principals"],
    queryFn: () => unwrap(listSimulationPrincipalsAction()),
    retry: (n, e) => (e as ActionError).type !== "AccessDeniedException" && n < 1,
  });
  const keys = useQuery({
    queryKey: ["keys", "simulator"],
    queryFn: () => getJson<KeyListPage>("/api/keys?pageSize=100"),
    enabled: !keyId,
  });
  const [picked, setPicked] = useState<string[]>([]);
  const [filter, setFilter] = useState("");
  const [actions, setActions] = useState<string[]>(["kms:Encrypt", "kms:Decrypt"]);
  const [keyInput, setKeyInput] = useState(initialKeyId);
  const [contextText, setContextText] = useState("");
  const [sourceIp, setSourceIp] = useState("");
  const { context, error: contextError } = parseContextLines(contextText);
  const ipError = sourceIp.trim() && !IP.test(sourceIp.trim()) ? "Enter an IPv4 or IPv6 address." : "";
  const simulate = useMutation({
    mutationFn: () =>
      unwrap(
        simulatePolicyAction({
          principals: picked,
          actions,
          ...((keyId ?? keyInput.trim()) ? { keyId: keyId ?? keyInput.trim() } : {}),
          ...(Object.keys(context).length ? { encryptionContext: context } : {}),
          ...(sourceIp.trim() ? { sourceIp: sourceIp.trim() } : {}),
        }),
      ),
  });

  if (principals.isPending) {
    return (
      <div role="status" className="flex flex-col gap-3" aria-busy aria-label="Loading the simulator">
        <Skeleton className="h-6 w-48" />
        <Skeleton className="h-32" />
      </div>
    );
  }
  if (principals.isError) {
    const denied = (principals.error as ActionError).type === "AccessDeniedException";
    return (
      <div role="alert" className="flex flex-col items-start gap-2 rounded-md bg-amber-50 p-4 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
        <p>{denied ? "The policy simulator is for administrators and auditors." : principals.error.message}</p>
        {!denied && (
          <Button variant="secondary" size="sm" onClick={() => principals.refetch()}>
            Retry
          </Button>
        )}
      </div>
    );
  }

  const list = principals.data.filter((p) => !filter.trim() || p.label.toLowerCase().includes(filter.trim().toLowerCase()));
  const toggle = (arr: string[], v: string, on: boolean) => (on ? [...arr.filter((x) => x !== v), v] : arr.filter((x) => x !== v));
  const canRun = picked.length > 0 && actions.length > 0 && !contextError && !ipError;

  return (
    <div className="flex flex-col gap-5">
      <form
        className="flex flex-col gap-5"
        aria-label="Policy simulation"
        onSubmit={(e) => {
          e.preventDefault();
          if (canRun) simulate.mutate();
        }}
      >
        <div className="grid gap-5 lg:grid-cols-2">
          <fieldset className="flex min-w-0 flex-col gap-2">
            <legend className="mb-1 font-medium">Principals</legend>
            <Input aria-label="Filter principals" placeholder="Filter principals" value={filter} onChange={(e) => setFilter(e.target.value)} />
            <div className="flex max-h-64 flex-col divide-y divide-slate-100 overflow-auto rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-700">
              {list.length === 0 && <p className="px-3 py-2 text-sm text-slate-500">No principal matches.</p>}
              {list.map((p) => (
                <label key={p.name} className="flex items-center gap-3 px-3 py-1.5 text-sm">
                  <input type="checkbox" checked={picked.includes(p.name)} onChange={(e) => setPicked(toggle(picked, p.name, e.target.checked))} />
                  <span className="font-medium">{p.label}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    {p.role ? p.role.replace(/_/g, " ").toLowerCase() : p.name.endsWith(":root") ? "account" : "no role"}
                    {p.disabled ? ", disabled" : ""}
                  </span>
                </label>
              ))}
            </div>
            <p className="text-xs text-slate-500 dark:text-slate-400">{picked.length} selected</p>
          </fieldset>

          <fieldset className="flex min-w-0 flex-col gap-2">
            <legend className="mb-1 font-medium">Actions</legend>
            <div className="flex max-h-72 flex-col gap-3 overflow-auto rounded-md border border-slate-200 p-3 dark:border-slate-700">
              {KMS_ACTION_GROUPS.map((g) => (
                <fieldset key={g.label} className="flex flex-col gap-1">
                  <legend className="flex w-full items-center gap-2 text-xs font-semibold text-slate-600 uppercase dark:text-slate-400">
                    {g.label}
                    <button
                      type="button"
                      className="ml-auto text-xs font-normal text-indigo-700 normal-case hover:underline dark:text-indigo-300"
                      aria-label={`Select all ${g.label.toLowerCase()} actions`}
                      onClick={() => setActions([...actions.filter((a) => !g.actions.includes(a)), ...g.actions])}
                    >
                      All
                    </button>
                    <button
                      type="button"
                      className="text-xs font-normal text-indigo-700 normal-case hover:underline dark:text-indigo-300"
                      aria-label={`Clear ${g.label.toLowerCase()} actions`}
                      onClick={() => setActions(actions.filter((a) => !g.actions.includes(a)))}
                    >
                      None
                    </button>
                  </legend>
                  <div className="grid grid-cols-1 gap-x-4 sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
                    {g.actions.map((a) => (
                      <label key={a} className="flex items-center gap-2 font-mono text-xs break-all">
                        <input type="checkbox" checked={actions.includes(a)} onChange={(e) => setActions(toggle(actions, a, e.target.checked))} />
                        {a}
                      </label>
                    ))}
                  </div>
                </fieldset>
              ))}
            </div>
            <p className="text-xs text-slate-500 dark:text-slate-400">{actions.length} selected</p>
          </fieldset>
        </div>

        <div className="grid gap-4 md:grid-cols-3">
          {!keyId && (
            <Field label="Key" hint="Key ID, key ARN or alias. Empty: account-level actions only (identity policies).">
              {(p) => (
                <>
                  <Input {...p} list={`${id}-keys`} value={keyInput} onChange={(e) => setKeyInput(e.target.value)} className="font-mono" placeholder="alias/my-key" />
                  <datalist id={`${id}-keys`}>
                    {keys.data?.keys.map((k) => (
                      <option key={k.id} value={k.id}>
                        {k.aliases[0] ?? k.description}
                      </option>
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          )}
          <Field label="Encryption context" hint="Optional. One key=value per line." error={contextError}>
            {(p) => <Textarea {...p} rows={2} value={contextText} onChange={(e) => setContextText(e.target.value)} className="font-mono" placeholder="purpose=test" />}
          </Field>
          <Field label="Source IP" hint="Optional. Evaluated as aws:SourceIp." error={ipError}>
            {(p) => <Input {...p} value={sourceIp} onChange={(e) => setSourceIp(e.target.value)} className="font-mono" placeholder="10.0.0.1" />}
          </Field>
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={!canRun} busy={simulate.isPending}>
            Run simulation
          </Button>
          {!canRun && <span className="text-xs text-slate-500 dark:text-slate-400">Pick at least one principal and one action.</span>}
        </div>
      </form>

      {simulate.isError && (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {(simulate.error as ActionError).type}: {simulate.error.message}
        </p>
      )}
      {simulate.data && <Results results={simulate.data} />}
    </div>
  );
}

function Results({ results }: { results: SimulationResult[] }) {
  const allowed = results.filter((r) => r.allowed).length;
  return (
    <section className="flex flex-col gap-2">
      <h3 className="font-medium" aria-live="polite">
        Results: {allowed} allowed, {results.length - allowed} denied
      </h3>
      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-sm" aria-label="Simulation results">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-2 pr-4">Principal</th>
              <th className="py-2 pr-4">Action</th>
              <th className="py-2 pr-4">Decision</th>
              <th className="py-2">Deciding statement</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {results.map((r) => (
              <tr key={`${r.principal} ${r.action}`} data-testid={`simulation-${principalLabel(r.principal)}-${r.action}`}>
                <td className="py-2 pr-4 align-top">
                  <span className="font-medium">{principalLabel(r.principal)}</span>
                </td>
                <td className="py-2 pr-4 align-top font-mono text-xs">{r.action}</td>
                <td className="py-2 pr-4 align-top">
                  <Badge tone={r.allowed ? "green" : "red"}>{r.allowed ? "Allowed" : r.explicitDeny ? "Denied (explicit)" : "Denied"}</Badge>
                </td>
                <td className="py-2 align-top">
                  <div>{describeStatement(r.statement)}</div>
                  <div className="text-xs text-slate-500 dark:text-slate-400">{REASONS[r.reason]}</div>
                  {r.message && <div className="mt-1 font-mono text-xs break-all text-red-700 dark:text-red-300">{r.message}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
