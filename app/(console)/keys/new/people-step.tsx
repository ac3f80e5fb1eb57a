"use client";

// The wizard's third and fourth steps: who administers the key, who uses it
// (users whose role allows it; the account root keeps full access).
import type { KeyPrincipal } from "@/lib/console/keys/types";

export function PeopleStep({
  principals,
  roles,
  picked,
  setPicked,
  legend,
  help,
}: {
  principals: KeyPrincipal[];
  roles: string[];
  picked: string[];
  setPicked: (v: string[]) => void;
  legend: string;
  help: string;
}) {
  const eligible = principals.filter((p) => roles.includes(p.role));
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 text-lg font-medium">{legend}</legend>
      <p className="text-sm text-slate-600 dark:text-slate-400">{help}</p>
      {eligible.length === 0 && <p className="text-sm">No users have a role that allows this. The account root keeps full access.</p>}
      <div className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {eligible.map((p) => (
          <label key={p.id} className="flex items-center gap-3 px-3 py-2 text-sm">
            <input
              type="checkbox"
              checked={picked.includes(p.username)}
              onChange={(e) => setPicked(e.target.checked ? [...picked, p.username] : picked.filter((u) => u !== p.username))}
            />
            <span className="font-medium">{p.username}</span>
            <span className="text-xs text-slate-600 dark:text-slate-400">{p.role.replace(/_/g, " ").toLowerCase()}</span>
            <span className="ml-auto hidden font-mono text-xs text-slate-600 md:inline dark:text-slate-400">{p.arn}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
