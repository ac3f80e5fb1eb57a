"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";

const DISMISSED = "keyhold.quorum-off-banner.dismissed";
const listeners = new Set<() => void>();
const subscribe = (onChange: () => void) => {
  listeners.add(onChange);
  return () => void listeners.delete(onChange);
};
const isDismissed = () => sessionStorage.getItem(DISMISSED) === "1";

/** For administrators while no approval rule exists: one person can make every change. Dismissable for the browser session. */
export function QuorumOffBanner() {
  // On the server: hidden (sessionStorage is the browser's), so no flash on every page once dismissed.
  const dismissed = useSyncExternalStore(subscribe, isDismissed, () => true);
  if (dismissed) return null;
  return (
    <section
      aria-label="Quorum is off"
      className="mb-6 flex items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      {/* The text shrinks and wraps; Dismiss stays on its line (flex-wrap moved it under the text at 1024 px). */}
      <p className="min-w-0 flex-1">
        <strong>Quorum is off.</strong> One administrator (or one stolen password) can delete keys and rewrite policies alone.{" "}
        <Link href="/approvals#rules" className="font-medium underline">
          Require approvals
        </Link>
      </p>
      <button
        type="button"
        className="shrink-0 rounded-md px-2 py-1 text-amber-900 hover:bg-amber-100 dark:text-amber-200 dark:hover:bg-amber-900"
        onClick={() => {
          sessionStorage.setItem(DISMISSED, "1");
          listeners.forEach((l) => l());
        }}
      >
        Dismiss
      </button>
    </section>
  );
}
