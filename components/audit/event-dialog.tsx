"use client";

import Link from "next/link";
import { useEffect, useId, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import { accessLabel, eventKeyIds, principalFilter, principalLabel, type AuditEventView } from "./client";

/**
 * The full event: a summary with links to the key and to the caller's other
 * events, and the CloudTrail record as pretty-printed JSON. A wide modal on
 * <dialog> (focus trap and Esc come from the browser).
 */
export function AuditEventDialog({
  event,
  aliases = {},
  onClose,
}: {
  event: AuditEventView | null;
  /** key ID → current aliases, shown next to the ID. */
  aliases?: Record<string, string[]>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const open = !!event;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);

  const r = event?.record;
  const json = r ? JSON.stringify(r, null, 2) : "";
  const keys = r ? eventKeyIds(r) : [];
  const who = r ? principalFilter(r) : undefined;

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      className="m-auto max-h-[90vh] w-[calc(100%-2rem)] max-w-3xl rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {event && r && (
        <div className="flex max-h-[90vh] flex-col">
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 p-4 sm:px-6 dark:border-slate-800">
            <div className="min-w-0">
              <h2 id={titleId} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
                <span className="break-all">{r.eventName}</span> event
                {r.errorCode ? <Badge tone="red">{r.errorCode}</Badge> : <Badge tone="green">Succeeded</Badge>}
              </h2>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                <DateTime value={r.eventTime} /> · {accessLabel(r)}
              </p>
            </div>
            <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close event details">
              <span aria-hidden>✕</span>
            </Button>
          </div>
          <div className="flex flex-col gap-4 overflow-y-auto p-4 sm:px-6">
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-medium text-slate-600 dark:text-slate-400">Principal</dt>
              <dd className="min-w-0 break-all">
                {who ? (
                  <Link
                    href={`/audit?principal=${encodeURIComponent(who)}`}
                    onClick={onClose}
                    className="text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
                  >
                    {principalLabel(r)}
                  </Link>
                ) : (
                  principalLabel(r)
                )}
                {r.userIdentity.arn && <span className="ml-2 font-mono text-xs text-slate-600 dark:text-slate-400">{r.userIdentity.arn}</span>}
              </dd>
              {keys.length > 0 && (
                <>
                  <dt className="font-medium text-slate-600 dark:text-slate-400">{keys.length === 1 ? "Key" : "Keys"}</dt>
                  <dd className="flex min-w-0 flex-col gap-1">
                    {keys.map((k) => (
                      <span key={k} className="flex flex-wrap items-baseline gap-x-2">
                        {aliases[k]?.length ? <span className="font-medium">{aliases[k].join(", ")}</span> : null}
                        <Link
                          href={`/keys/${k}`}
                          className="font-mono text-xs break-all text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400"
                        >
                          {k}
                        </Link>
                      </span>
                    ))}
                  </dd>
                </>
              )}
              <dt className="font-medium text-slate-600 dark:text-slate-400">Source</dt>
              <dd className="min-w-0 break-all">
                {r.sourceIPAddress} <span className="text-slate-600 dark:text-slate-400">· {r.eventSource}</span>
                {r.additionalEventData?.via && <span className="text-slate-600 dark:text-slate-400"> · via {r.additionalEventData.via}</span>}
              </dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">User agent</dt>
              <dd className="min-w-0 break-all">{r.userAgent}</dd>
              {r.errorCode && (
                <>
                  <dt className="font-medium text-slate-600 dark:text-slate-400">Error</dt>
                  <dd className="min-w-0 text-red-700 dark:text-red-400">
                    <strong>{r.errorCode}</strong>
                    {r.errorMessage ? `: ${r.errorMessage}` : ""}
                  </dd>
                </>
              )}
              <dt className="font-medium text-slate-600 dark:text-slate-400">Chain</dt>
              <dd className="min-w-0 font-mono text-xs break-all text-slate-600 dark:text-slate-400">
                event #{event.chainSeq} of {event.chainId}
                <br />
                hash {event.hash}
              </dd>
            </dl>
            <div className="flex flex-col gap-1">
              <div className="flex items-center justify-between">
                <h3 className="text-sm font-medium">Record (JSON)</h3>
                <CopyButton value={json} label="event JSON" />
              </div>
              <pre
                aria-label="Event JSON"
                tabIndex={0}
                data-testid="audit-event-json"
                className="max-h-[50vh] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:bg-slate-950 dark:text-slate-200"
              >
                {json}
              </pre>
            </div>
          </div>
          <div className="flex justify-end border-t border-slate-200 p-4 sm:px-6 dark:border-slate-800">
            <Button variant="secondary" onClick={onClose}>
              Close
            </Button>
          </div>
        </div>
      )}
    </dialog>
  );
}
