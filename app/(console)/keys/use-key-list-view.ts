"use client";

// The keys list's view (search, filters, sort, direction, page, page size)
// lives in the URL: a reload or a shared link shows the same keys, and back
// and forward step through views.
//
// Updates go through the History API, which Next's router observes
// (useSearchParams follows it, back/forward restore it) without a server
// round trip: router.push would re-render the server page, and with it re-run
// (and re-audit) the page's ListKeys check, on every click and keystroke.
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { keyListSearch, parseKeyListParams } from "@/lib/console/keys/list-params";
import type { KeyListParams, KeyListView } from "@/lib/console/keys/types";

/** How a change is recorded: "push" adds a history entry (back undoes it), "replace" does not (typing). */
export type HistoryMode = "push" | "replace";

export function useKeyListView(): {
  view: KeyListView;
  /** The view's query string for /api/keys (the same parameters the URL holds). */
  apiSearch: string;
  update: (patch: Partial<KeyListParams>, mode: HistoryMode) => void;
} {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const view = useMemo(() => parseKeyListParams(searchParams), [searchParams]);
  const apiSearch = useMemo(() => keyListSearch(view), [view]);

  const update = useCallback(
    (patch: Partial<KeyListParams>, mode: HistoryMode) => {
      // Merged into the URL as it is now, not as it was when this render ran:
      // a debounced search may land just after a click on a column.
      const current = parseKeyListParams(new URLSearchParams(window.location.search));
      const next: KeyListParams = { ...current, ...patch };
      // Any other change (search, filters, sort, page size) shows another list: start at its first page.
      const changesList = (Object.keys(patch) as Array<keyof KeyListParams>).some((f) => f !== "page" && patch[f] !== current[f]);
      if (changesList) next.page = 1;
      const search = keyListSearch(next);
      const url = search ? `${pathname}?${search}` : pathname;
      if (url === window.location.pathname + window.location.search) return;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname],
  );

  return { view, apiSearch, update };
}
