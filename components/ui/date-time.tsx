"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, prefersUtc, setPrefersUtc, subscribeUtc } from "@/lib/console/dates";

/** The UTC preference, re-rendering when it changes; false while server-rendering. */
export function useUtc(): boolean {
  return useSyncExternalStore(subscribeUtc, prefersUtc, () => false);
}

/** A date in the console's one format, with its time zone; ISO in the `dateTime` attribute. */
export function DateTime({ value, className }: { value: string | Date | null | undefined; className?: string }) {
  const utc = useUtc();
  if (value === null || value === undefined || value === "") return <span className={className}>—</span>;
  const iso = value instanceof Date ? value.toISOString() : value;
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {formatDateTime(iso, utc)}
    </time>
  );
}

/** Switches every date in the console between local time and UTC (kept in this browser). */
export function UtcToggle() {
  const utc = useUtc();
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" checked={utc} onChange={(e) => setPrefersUtc(e.target.checked)} className="size-4 accent-indigo-600" />
      Show times in UTC
    </label>
  );
}
