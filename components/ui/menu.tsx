"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "./button";
import { cn } from "./cn";

export interface MenuItem {
  label: string;
  onSelect: () => void;
  tone?: "danger";
  hidden?: boolean;
}

/**
 * A button that opens a list of actions (menu role, arrow keys, Esc closes).
 * With `icon`, the button shows only the icon and `label` is its accessible name.
 */
export function Menu({ label, items, icon }: { label: string; items: MenuItem[]; icon?: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const visible = items.filter((i) => !i.hidden);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => document.removeEventListener("pointerdown", onDown);
  }, [open]);
  const focusItem = (delta: number) => {
    const els = Array.from(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = els.indexOf(document.activeElement as HTMLElement);
    els[(i + delta + els.length) % els.length]?.focus();
  };
  return (
    <div ref={root} className="relative">
      {icon ? (
        <Button variant="ghost" size="sm" aria-label={label} title={label} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)} disabled={!visible.length}>
          {icon}
        </Button>
      ) : (
        <Button variant="secondary" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)} disabled={!visible.length}>
          {label} <span aria-hidden>▾</span>
        </Button>
      )}
      {open && (
        <div
          role="menu"
          aria-label={label}
          className="absolute right-0 z-30 mt-1 flex min-w-48 flex-col rounded-md border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          onKeyDown={(e) => {
            if (e.key === "Escape") setOpen(false);
            if (e.key === "ArrowDown") {
              e.preventDefault();
              focusItem(1);
            }
            if (e.key === "ArrowUp") {
              e.preventDefault();
              focusItem(-1);
            }
          }}
        >
          {visible.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              className={cn(
                "px-3 py-2 text-left text-sm hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800",
                item.tone === "danger" && "text-red-600 dark:text-red-400",
              )}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
