"use client";

import { useRef } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A plain-textarea JSON editor with a line-number gutter; `errorLine` marks a
 * line in the gutter. Tab keeps its usual meaning (moves focus), so the editor
 * never traps keyboard users.
 */
export function JsonEditor({
  id,
  value,
  onChange,
  errorLine,
  readOnly,
  describedBy,
  invalid,
  label,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  errorLine?: number;
  readOnly?: boolean;
  describedBy?: string;
  invalid?: boolean;
  label?: string;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split("\n").length;
  return (
    <div className="flex max-h-[32rem] min-h-64 overflow-hidden rounded-md border border-slate-300 bg-white font-mono text-xs leading-5 dark:border-slate-600 dark:bg-slate-950">
      <div
        ref={gutter}
        aria-hidden
        className="shrink-0 overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right text-slate-400 select-none dark:border-slate-800 dark:bg-slate-900 dark:text-slate-500"
      >
        {Array.from({ length: lines }, (_, i) => (
          <div
            key={i}
            className={cn("px-2", errorLine === i + 1 && "bg-red-100 font-bold text-red-700 dark:bg-red-900/60 dark:text-red-200")}
            data-testid={errorLine === i + 1 ? "json-error-line" : undefined}
          >
            {errorLine === i + 1 ? "●" : ""}
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        readOnly={readOnly}
        aria-label={label}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        wrap="off"
        rows={Math.min(Math.max(lines, 12), 40)}
        className="min-w-0 flex-1 resize-none overflow-auto bg-transparent px-3 py-2 leading-5 text-slate-900 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-inset dark:text-slate-100"
      />
    </div>
  );
}
