"use client";

import { useId, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import type { RoleMember } from "./types";

/** One built-in role: what it may do, its identity-policy JSON (shown on demand) and who has it. */
export function RoleCard({
  label,
  policyName,
  summary,
  policy,
  members,
}: {
  label: string;
  policyName: string;
  summary: string;
  policy: string;
  members: RoleMember[];
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900"
      data-testid={`role-${policyName}`}
    >
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={`${id}-title`} className="text-lg font-medium">
          {label}
        </h2>
        <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{policyName}</span>
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">{summary}</p>
      <RoleMembers label={label} members={members} heading="h3" />
      <IdentityPolicy label={label} policy={policy} defaultOpen />
    </section>
  );
}

/** Who holds a role (built-in or custom). */
export function RoleMembers({ label, members, heading: Heading }: { label: string; members: RoleMember[]; heading: "h3" | "h4" }) {
  return (
    <div>
      <Heading className="text-sm font-medium">
        Members <span className="text-slate-500 dark:text-slate-400">({members.length})</span>
      </Heading>
      {members.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nobody has this role.</p>
      ) : (
        <ul aria-label={`${label} members`} className="mt-1 flex flex-wrap gap-2">
          {members.map((m) => (
            <li key={m.username} className="rounded bg-slate-100 px-2 py-0.5 text-sm dark:bg-slate-800">
              {m.username}
              {m.disabled ? " (disabled)" : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A role's identity-policy JSON, shown on demand, with a copy button. */
export function IdentityPolicy({ label, policy, defaultOpen = false }: { label: string; policy: string; defaultOpen?: boolean }) {
  const id = useId();
  const [open, setOpen] = useState(defaultOpen);
  return (
    <>
      <div className="flex items-center gap-2">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-policy`}
          onClick={() => setOpen(!open)}
          className="text-sm text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
        >
          {open ? "Hide" : "Show"} identity policy JSON
        </button>
        <CopyButton value={policy} label={`${label} policy JSON`} />
      </div>
      {open && (
        <pre id={`${id}-policy`} aria-label={`${label} identity policy`} tabIndex={0} className="max-h-96 overflow-auto rounded bg-slate-50 p-4 font-mono text-xs dark:bg-slate-950">
          {policy}
        </pre>
      )}
    </>
  );
}
