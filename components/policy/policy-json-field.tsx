"use client";

import { useId, useState } from "react";
import { JsonEditor } from "./json-editor";
import { jsonErrorLocation } from "./statements";

/** A labelled key policy editor with its problems listed under it: JSON syntax, then the policy grammar (as typed). */
export function PolicyJsonField({ label, hint, value, onChange }: { label: string; hint?: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  const [problems, setProblems] = useState<string[]>([]);
  let syntaxError = "";
  try {
    JSON.parse(value);
  } catch (e) {
    syntaxError = (e as Error).message;
  }
  const at = syntaxError ? jsonErrorLocation(value, syntaxError) : undefined;
  const invalid = !!syntaxError || problems.length > 0;
  return (
    <div className="flex flex-col gap-1">
      <span className="text-sm font-medium text-slate-700 dark:text-slate-300">{label}</span>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
      <JsonEditor
        label={label}
        value={value}
        onChange={onChange}
        onProblems={(p) => setProblems(p.map((d) => d.message))}
        invalid={invalid}
        describedBy={invalid ? `${id}-problems` : hint ? `${id}-hint` : undefined}
      />
      {syntaxError ? (
        <p id={`${id}-problems`} className="text-xs text-red-700 dark:text-red-300" data-testid="json-syntax-error">
          JSON syntax error{at ? ` at line ${at.line}, column ${at.column}` : ""}: {syntaxError}
        </p>
      ) : problems.length > 0 ? (
        <ul id={`${id}-problems`} className="list-disc pl-5 text-xs text-red-700 dark:text-red-300" data-testid="policy-schema-problems">
          {problems.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-emerald-700 dark:text-emerald-400">Valid JSON, and the policy grammar checks out.</p>
      )}
    </div>
  );
}
