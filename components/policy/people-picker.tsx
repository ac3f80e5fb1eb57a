"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import type { PolicyPrincipal } from "@/lib/console/keys/types";
import { principalLabel } from "./statements";

/**
 * The principals of one standard key policy statement (key administrators or
 * key users): remove anyone, add a user. `noun` is "key administrator" or "key user".
 */
export function PeoplePicker({
  title,
  noun,
  help,
  arns,
  people,
  peopleLoading,
  editable,
  onChange,
}: {
  title: string;
  noun: string;
  help: string;
  arns: string[];
  people: PolicyPrincipal[];
  peopleLoading?: boolean;
  editable: boolean;
  onChange: (arns: string[]) => void;
}) {
  const id = useId();
  const [choice, setChoice] = useState("");
  const available = people.filter((p) => !arns.includes(p.arn));
  const selected = available.some((p) => p.arn === choice) ? choice : "";
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3">
      <div>
        <h3 id={`${id}-title`} className="font-medium">
          {title}
        </h3>
        <p className="text-sm text-slate-600 dark:text-slate-400">{help}</p>
      </div>
      {arns.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid={`${noun.replace(/ /g, "-")}-empty`}>
          No {noun}s are named in this policy.
        </p>
      ) : (
        <ul aria-label={title} className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-700">
          {arns.map((arn) => (
            <li key={arn} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <span className="font-medium">{principalLabel(arn)}</span>
              <span className="hidden font-mono text-xs break-all text-slate-400 md:inline">{arn}</span>
              {editable && (
                <Button
                  variant="secondary"
                  size="sm"
                  className="ml-auto"
                  aria-label={`Remove ${principalLabel(arn)} from ${noun}s`}
                  onClick={() => onChange(arns.filter((a) => a !== arn))}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <div className="flex flex-wrap items-end gap-2">
          <div className="flex w-80 flex-col gap-1">
            <label htmlFor={`${id}-add`} className="text-sm font-medium text-slate-700 dark:text-slate-300">
              {`${noun[0]!.toUpperCase()}${noun.slice(1)} to add`}
            </label>
            <Select id={`${id}-add`} value={selected} onChange={(e) => setChoice(e.target.value)} disabled={peopleLoading || available.length === 0}>
              <option value="">{peopleLoading ? "Loading users…" : available.length === 0 ? "Everyone is already listed" : "Choose a user"}</option>
              {available.map((p) => (
                <option key={p.arn} value={p.arn}>
                  {p.username}
                </option>
              ))}
            </Select>
          </div>
          <Button
            variant="secondary"
            className="disabled:opacity-50"
            disabled={!selected}
            onClick={() => {
              onChange([...arns, selected]);
              setChoice("");
            }}
          >
            Add {noun}
          </Button>
        </div>
      )}
    </section>
  );
}
