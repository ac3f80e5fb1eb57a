"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { formatBytes, fromLocalInput, toLocalInput } from "./client";

type Progress = { bytes: number; lines: number; total: number | null };

function fileNameOf(res: Response, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "");
  return m?.[1] ?? fallback;
}

/**
 * Downloads an export of a time range. The file is streamed: the reader
 * counts bytes and lines (one per event) against the event count the server
 * announces, so a long export shows its progress and can be cancelled.
 */
export function ExportDialog({ open, onClose, defaultFrom }: { open: boolean; onClose: () => void; defaultFrom?: Date }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const toast = useToast();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [format, setFormat] = useState<"jsonl" | "csv">("jsonl");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const [wasOpen, setWasOpen] = useState(false);

  // Each time it opens: a fresh range (the timeline's start, or the last 24 hours, up to now).
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      const now = new Date();
      setFrom(toLocalInput(defaultFrom ?? new Date(now.getTime() - 86_400_000)));
      setTo(toLocalInput(new Date(now.getTime() + 60_000)));
      setError(null);
      setProgress(null);
    }
  }

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);

  const fromIso = fromLocalInput(from);
  const toIso = fromLocalInput(to);
  const rangeError = !fromIso || !toIso ? "Choose a start and an end." : fromIso > toIso ? "The start must be before the end." : undefined;
  const busy = progress !== null;

  async function download() {
    if (rangeError || !fromIso || !toIso) return;
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ bytes: 0, lines: 0, total: null });
    try {
      const p = new URLSearchParams({ from: fromIso, to: toIso, format });
      const res = await fetch(`/api/audit/export?${p}`, { cache: "no-store", signal: controller.signal });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.message ?? `Export failed (${res.status})`);
      }
      const total = Number(res.headers.get("x-keyhold-event-count"));
      const reader = res.body!.getReader();
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      let lines = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parts.push(value as Uint8Array<ArrayBuffer>);
        bytes += value.byteLength;
        for (const b of value) if (b === 10) lines++;
        setProgress({ bytes, lines, total: Number.isFinite(total) ? total : null });
      }
      const blob = new Blob(parts, { type: format === "csv" ? "text/csv" : "application/x-ndjson" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = fileNameOf(res, `keyhold-audit.${format}`);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      toast("success", `Export downloaded (${formatBytes(bytes)})`);
      setProgress(null);
      onClose();
    } catch (e) {
      setProgress(null);
      if (controller.signal.aborted) setError("The export was cancelled.");
      else setError(e instanceof Error ? e.message : "The export failed.");
    } finally {
      abort.current = null;
    }
  }

  const close = () => {
    abort.current?.abort();
    onClose();
  };

  // Events are lines; JSONL adds a few trailer lines and CSV a header, so cap at 100 %.
  const pct = progress?.total ? Math.min(100, Math.round((progress.lines / Math.max(1, progress.total)) * 100)) : undefined;

  return (
    <dialog
      ref={ref}
      onClose={close}
      aria-labelledby={titleId}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {open && (
        <form
          className="flex flex-col gap-4 p-6"
          onSubmit={(e) => {
            e.preventDefault();
            void download();
          }}
        >
          <h2 id={titleId} className="text-lg font-semibold">
            Export audit events
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            JSON Lines keeps the hash chain, the signed digests and the signing public key, so the file can be verified outside Keyhold with{" "}
            <code className="font-mono text-xs">scripts/verify-audit-export.mjs</code>. CSV is for spreadsheets.
          </p>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field label="Export from">
              {(p) => <Input {...p} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} disabled={busy} required />}
            </Field>
            <Field label="Export to">
              {(p) => <Input {...p} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} disabled={busy} required />}
            </Field>
          </div>
          <Field label="Format">
            {(p) => (
              <Select {...p} value={format} onChange={(e) => setFormat(e.target.value as "jsonl" | "csv")} disabled={busy}>
                <option value="jsonl">JSON Lines (verifiable)</option>
                <option value="csv">CSV</option>
              </Select>
            )}
          </Field>
          {rangeError && (from || to) && <p className="text-xs text-red-600 dark:text-red-400">{rangeError}</p>}
          {progress && (
            <div className="flex flex-col gap-1" data-testid="export-progress">
              <progress
                aria-label="Export progress"
                className="h-2 w-full accent-indigo-600"
                max={100}
                {...(pct !== undefined ? { value: pct } : {})}
              />
              <p className="text-xs text-slate-600 tabular-nums dark:text-slate-400" aria-live="polite">
                {formatBytes(progress.bytes)} received
                {progress.total !== null && ` · ${Math.min(progress.lines, progress.total)} of ${progress.total} events`}
              </p>
            </div>
          )}
          {error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={close}>
              {busy ? "Cancel export" : "Cancel"}
            </Button>
            <Button type="submit" busy={busy} disabled={!!rangeError}>
              Download
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}
