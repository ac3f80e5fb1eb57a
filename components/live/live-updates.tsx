"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

/** Query keys whose data follows key changes. */
const KEY_QUERIES = [["keys"], ["key"], ["dashboard"]] as const;

/**
 * Listens to /api/events while a console page is open and refetches key data
 * when a key changes (instead of polling). The browser reconnects on its own
 * after a network drop; an `end` message (session over) stops it for good.
 */
export function LiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/api/events");
    const refetch = () => {
      for (const queryKey of KEY_QUERIES) void queryClient.invalidateQueries({ queryKey });
    };
    source.addEventListener("keys", refetch);
    source.addEventListener("end", () => source.close());
    return () => source.close();
  }, [queryClient]);
  return null;
}
