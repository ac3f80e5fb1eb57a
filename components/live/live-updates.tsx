"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

/** Query keys whose data follows key changes, and access-key changes. */
const KEY_QUERIES = [["keys"], ["key"], ["dashboard"]] as const;
const ACCESS_KEY_QUERIES = [["access-keys"]] as const;

/**
 * Listens to /api/events while a console page is open and refetches key data
 * when a key changes, the access-key list when an access key does (instead of
 * polling). The browser reconnects on its own after a network drop; an `end`
 * message (session over) stops it for good.
 */
export function LiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/api/events");
    const refetch = (queries: ReadonlyArray<readonly string[]>) => () => {
      for (const queryKey of queries) void queryClient.invalidateQueries({ queryKey });
    };
    source.addEventListener("keys", refetch(KEY_QUERIES));
    source.addEventListener("access-keys", refetch(ACCESS_KEY_QUERIES));
    source.addEventListener("end", () => source.close());
    return () => source.close();
  }, [queryClient]);
  return null;
}
