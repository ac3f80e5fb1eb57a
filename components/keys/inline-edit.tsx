"use client";

import { Check, Pencil, X } from "lucide-react";
import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";

/**
 * Text that turns into an input on "Edit": Enter or Save saves, Esc or Cancel
 * cancels; leaving the field keeps the draft. `validate` returns an error
 * message shown inline ("" when valid). `wrap` shows the whole text (no cut).
 */
export function InlineEdit({
  value,
  label,
  onSave,
  validate,
  placeholder = "—",
  disabled,
  display,
  className,
  wrap,
}: {
  value: string;
  /** e.g. "description of alias/x": the edit button is "Edit description of alias/x". */
  label: string;
  onSave: (next: string) => void;
  validate?: (next: string) => string;
  placeholder?: string;
  disabled?: boolean;
  display?: React.ReactNode;
  className?: string;
  wrap?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const error = editing && validate ? validate(draft) : "";

  if (!editing) {
    return (
      <span className={cn("group inline-flex max-w-full items-center gap-1", className)}>
        <span className={cn(wrap ? "break-words whitespace-pre-wrap" : "truncate", !value && "text-slate-600 dark:text-slate-400")}>{display ?? (value || placeholder)}</span>
        {!disabled && (
          <button
            type="button"
            aria-label={`Edit ${label}`}
            title={`Edit ${label}`}
            className="shrink-0 rounded px-1 text-xs text-slate-600 opacity-70 group-hover:opacity-100 hover:bg-slate-100 focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800"
            onClick={() => {
              setDraft(value);
              setEditing(true);
            }}
          >
            <Pencil aria-hidden className="size-3.5" />
          </button>
        )}
      </span>
    );
  }
  const dirty = draft !== value;
  const save = () => {
    if (error) return;
    setEditing(false);
    if (dirty) onSave(draft);
  };
  return (
    <span className="flex flex-col gap-1">
      <UnsavedGuard active={dirty} />
      <span className="flex items-center gap-1">
        <input
          autoFocus
          aria-label={label.charAt(0).toUpperCase() + label.slice(1)}
          aria-invalid={error ? true : undefined}
          className={cn(inputClass, "min-w-0 py-1")}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              setEditing(false);
            }
            if (e.key === "Enter") {
              e.preventDefault();
              save();
            }
          }}
        />
        {/* Leaving the field keeps the draft: only Save/Enter or Cancel/Esc end the edit. */}
        <button type="button" aria-label={`Save ${label}`} title="Save (Enter)" disabled={!!error} onClick={save} className={iconButton}>
          <Check aria-hidden className="size-4" />
        </button>
        <button type="button" aria-label={`Cancel editing ${label}`} title="Cancel (Esc)" onClick={() => setEditing(false)} className={iconButton}>
          <X aria-hidden className="size-4" />
        </button>
      </span>
      <span className={cn("text-xs", error ? "text-red-700 dark:text-red-400" : dirty ? "text-amber-800 dark:text-amber-300" : "text-slate-600 dark:text-slate-400")}>
        {error || (dirty ? "Unsaved: Enter saves, Esc cancels" : "Enter saves, Esc cancels")}
      </span>
    </span>
  );
}

const iconButton =
  "shrink-0 rounded p-1 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-40 dark:text-slate-300 dark:hover:bg-slate-800";

/** While an edit is unsaved, leaving or reloading the page asks first (the browser's own prompt). */
function UnsavedGuard({ active }: { active: boolean }) {
  useEffect(() => {
    if (!active) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [active]);
  return null;
}
