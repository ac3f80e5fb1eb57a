"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endSessionAction, listSessionsAction } from "@/app/actions/mfa";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { unwrap } from "@/lib/console/client";

/** Active console sessions of a user (the caller by default), each with an "End" button. */
export function SessionsList({ userId }: { userId?: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const key = ["sessions", userId ?? "me"];
  const sessions = useQuery({ queryKey: key, queryFn: () => unwrap(listSessionsAction(userId ? { userId } : {})), refetchInterval: 30_000 });
  const end = useMutation({
    mutationFn: (sessionId: string) => unwrap(endSessionAction({ sessionId })),
    onSuccess: () => toast("success", "Session ended"),
    onError: (e) => toast("error", e.message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  if (sessions.isPending) return <p role="status" className="text-sm text-slate-500">Loading sessions…</p>;
  if (sessions.isError) return <p role="alert" className="text-sm text-red-600">{sessions.error.message}</p>;
  if (sessions.data.length === 0) return <p className="text-sm text-slate-500">No active sessions.</p>;
  return (
    <ul aria-label="Active sessions" className="divide-y divide-slate-100 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {sessions.data.map((s) => (
        <li key={s.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm" data-testid="session-row">
          <span className="flex min-w-0 flex-col">
            <span className="truncate" title={s.userAgent ?? undefined}>
              {s.userAgent ?? "Unknown browser"}
              {s.current && <strong className="ml-2 text-xs text-emerald-700 dark:text-emerald-400">this session</strong>}
            </span>
            <span className="text-xs text-slate-500">
              {s.sourceIp ?? "unknown address"} · signed in {new Date(s.createdAt).toLocaleString()} ({s.method}) · last seen {new Date(s.lastSeenAt).toLocaleString()}
            </span>
          </span>
          {!s.current && (
            <Button variant="secondary" size="sm" busy={end.isPending && end.variables === s.id} onClick={() => end.mutate(s.id)} aria-label={`End session from ${s.userAgent ?? "unknown browser"}`}>
              End
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
