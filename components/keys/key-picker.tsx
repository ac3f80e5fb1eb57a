"use client";

// A key chooser for lists too long for a <select>: a combobox (WAI-ARIA 1.2
// pattern) whose suggestions the server filters by alias or key ID as the user
// types — among the keys the list's filters allow (e.g. only keys the caller
// may use) — so an installation with 10,000 keys needs no client-side list.
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useDebounced } from "@/components/audit/client";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import type { KeyListPage, KeyRow } from "@/lib/console/keys/types";
import { getJson, keyName } from "./client";

/** Suggestions shown at once: a search narrows, it does not page. */
const SUGGESTIONS = 20;

export function useKeySuggestions(filters: Record<string, string>, search: string) {
  const q = useDebounced(search.trim(), 200);
  const params = new URLSearchParams({ ...filters, pageSize: String(SUGGESTIONS) });
  if (q) params.set("q", q);
  return useQuery({
    queryKey: ["key-suggestions", params.toString()],
    queryFn: ({ signal }) => getJson<KeyListPage>(`/api/keys?${params}`, { signal }),
    placeholderData: (previous) => previous,
  });
}

export function KeyPicker({
  id,
  value,
  onChange,
  filters,
  describe = (k) => k.keySpec,
  className,
  ...aria
}: {
  id: string;
  /** The chosen key (shown while the user is not typing). */
  value: KeyRow | undefined;
  onChange: (key: KeyRow) => void;
  /** /api/keys filters the suggestions obey (status, usable, usage). */
  filters: Record<string, string>;
  /** The second line of a suggestion. */
  describe?: (k: KeyRow) => string;
  className?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const suggestions = useKeySuggestions(filters, open ? text : "");
  const options = suggestions.data?.keys ?? [];
  // The highlighted suggestion, kept inside the (changing) list.
  const activeIndex = Math.min(active, options.length - 1);

  const choose = (k: KeyRow | undefined) => {
    if (!k) return;
    onChange(k);
    setOpen(false);
    setText("");
  };
  const optionId = (i: number) => `${listId}-option-${i}`;

  return (
    <div className={cn("relative", className)}>
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="Search by alias or key ID"
        className={cn(inputClass, "font-mono")}
        value={open ? text : value ? keyName(value) : ""}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            if (!open) return setOpen(true);
            const step = e.key === "ArrowDown" ? 1 : -1;
            setActive(options.length ? (activeIndex + step + options.length) % options.length : 0);
          } else if (e.key === "Enter" && open) {
            e.preventDefault();
            choose(options[activeIndex]);
          } else if (e.key === "Escape" && open) {
            e.preventDefault();
            setOpen(false);
            setText("");
          }
        }}
        {...aria}
      />
      {open && (
        <ul
          id={listId}
          role="listbox"
          aria-label="Matching keys"
          aria-busy={suggestions.isFetching || undefined}
          className="absolute z-20 mt-1 max-h-72 w-full overflow-y-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          {options.map((k, i) => (
            <li
              key={k.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === activeIndex}
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(k);
              }}
              onMouseEnter={() => setActive(i)}
              className={cn("cursor-pointer px-3 py-1.5", i === activeIndex && "bg-indigo-50 dark:bg-indigo-950/60")}
            >
              <div className="truncate font-mono" title={[...k.aliases, k.id].join(" ")}>
                {keyName(k)}
              </div>
              <div className="truncate text-xs text-slate-600 dark:text-slate-400">
                {k.aliases.length ? `${k.id} · ` : ""}
                {describe(k)}
              </div>
            </li>
          ))}
          {suggestions.isSuccess && options.length === 0 && <li className="px-3 py-2 text-slate-600 dark:text-slate-400">No key you may use matches “{text.trim()}”.</li>}
          {suggestions.isError && <li className="px-3 py-2 text-red-700 dark:text-red-400">The keys could not be searched: {suggestions.error.message}</li>}
          {suggestions.isSuccess && suggestions.data.total > options.length && (
            <li className="px-3 py-1.5 text-xs text-slate-600 dark:text-slate-400">
              {options.length} of {suggestions.data.total.toLocaleString("en-US")} shown: type to narrow.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
