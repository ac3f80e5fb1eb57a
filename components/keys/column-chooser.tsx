"use client";

import { Columns3 } from "lucide-react";
import { OPTIONAL_KEY_COLUMNS, type KeyColumn } from "./key-columns";

/** A disclosure with one checkbox per optional column of the keys list. */
export function ColumnChooser({ visible, onChange }: { visible: Set<KeyColumn>; onChange: (column: KeyColumn, on: boolean) => void }) {
  return (
    <details className="relative">
      <summary className="inline-flex cursor-pointer list-none items-center gap-1.5 rounded-md border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-600 dark:hover:bg-slate-800">
        <Columns3 aria-hidden className="size-4" /> Columns
      </summary>
      <fieldset className="absolute right-0 z-30 mt-1 flex min-w-44 flex-col gap-1 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <legend className="sr-only">Columns to show</legend>
        {OPTIONAL_KEY_COLUMNS.map((c) => (
          <label key={c.id} className="flex items-center gap-2 py-0.5">
            <input type="checkbox" checked={visible.has(c.id)} onChange={(e) => onChange(c.id, e.target.checked)} />
            {c.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
