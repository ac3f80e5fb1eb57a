"use client";

import { Pencil } from "lucide-react";
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";

/**
 * Text that turns into an input on "Edit": Enter saves, Esc cancels.
 * `validate` returns an error message shown inline ("" when valid).
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
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const error = editing && validate ? validate(draft) : "";

  if (!editing) {
    return (
      <span className={cn("group inline-flex max-w-full items-center gap-1", className)}>
        <span className={cn("truncate", !value && "text-slate-400")}>{display ?? (value || placeholder)}</span>
        {!disabled && (
          <button
            type="button"
            aria-label={`Edit ${label}`}
            title={`Edit ${label}`}
            className="rounded px-1 text-xs text-slate-500 opacity-60 group-hover:opacity-100 hover:bg-slate-100 focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800"
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
  return (
    <span className="flex flex-col gap-1">
      <input
        autoFocus
        aria-label={label.charAt(0).toUpperCase() + label.slice(1)}
        aria-invalid={error ? true : undefined}
        className={cn(inputClass, "py-1")}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            setEditing(false);
          }
          if (e.key === "Enter") {
            e.preventDefault();
            if (error) return;
            setEditing(false);
            if (draft !== value) onSave(draft);
          }
        }}
        onBlur={() => setEditing(false)}
      />
      <span className={cn("text-xs", error ? "text-red-600 dark:text-red-400" : "text-slate-500")}>
        {error || "Enter saves, Esc cancels"}
      </span>
    </span>
  );
}
