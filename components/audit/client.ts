// Browser-side helpers shared by the audit views.
import { useEffect, useState } from "react";
import type { AuditRecord } from "@/lib/audit/record";
import type { AuditEventPage, AuditEventView, AuditUsage, UsageBucket } from "@/lib/audit/query";
import type { VerifyReport } from "@/lib/audit/verify";
import { formatDateTime } from "@/lib/console/dates";

export type { AuditEventPage, AuditEventView, AuditRecord, AuditUsage, UsageBucket, VerifyReport };

export class AuditApiError extends Error {
  constructor(
    public readonly type: string,
    message: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = type;
  }
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: "no-store", ...init });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new AuditApiError(body.__type ?? "Error", body.message ?? `Request failed (${res.status})`, res.status);
  return body as T;
}

export const isAccessDenied = (e: unknown) => e instanceof AuditApiError && (e.status === 403 || e.type === "AccessDeniedException");

/** Filters of the timeline, as the API takes them (strings from the form). */
export interface TimelineFilters {
  from?: string;
  to?: string;
  eventName?: string;
  keyId?: string;
  principal?: string;
  sourceIp?: string;
  errorsOnly?: boolean;
  outcome?: "allowed" | "denied" | "failed";
  readOnly?: boolean;
  hideConsoleViews?: boolean;
  q?: string;
}

export function filterParams(f: TimelineFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === "" || v === false) continue;
    p.set(k, String(v));
  }
  return p;
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]*:\d*:key\/([0-9a-f-]{36})$/i;

/** The key ID of a key ID or key ARN, or undefined if it is neither. */
export function keyIdOf(value: string): string | undefined {
  const v = value.trim();
  if (UUID.test(v)) return v.toLowerCase();
  const m = KEY_ARN.exec(v);
  return m && UUID.test(m[1]!) ? m[1]!.toLowerCase() : undefined;
}

/** How the timeline names an event's kind: CloudTrail's readOnly, in words that do not call Encrypt a "read". */
export function accessLabel(r: AuditRecord): string {
  if (r.additionalEventData?.consoleView) return "console view";
  return r.readOnly ? "data access" : "change";
}

/** An alias or key ID as typed in the Key filter: alias/name or its ARN (the server resolves it). */
export function isAliasRef(value: string): boolean {
  return /^(?:arn:[a-z-]+:kms:[a-z0-9-]*:\d*:)?alias\/[a-zA-Z0-9/_-]{1,250}$/.test(value.trim());
}

/** The key IDs an event is about (from its resources). */
export function eventKeyIds(r: AuditRecord): string[] {
  return (r.resources ?? []).map((res) => keyIdOf(res.ARN)).filter((k): k is string => !!k);
}

/** Who made the call, as people read it. */
export function principalLabel(r: AuditRecord): string {
  const u = r.userIdentity;
  if (u.type === "AWSService") return u.invokedBy ?? "Keyhold service";
  if (u.type === "Root") return "operator (root)";
  if (u.userName) return u.type === "Unknown" ? `${u.userName} (unauthenticated)` : u.userName;
  return u.arn ?? u.accessKeyId ?? "unknown";
}

/** What the timeline filters by to find the same caller's events. */
export function principalFilter(r: AuditRecord): string | undefined {
  return r.userIdentity.arn ?? r.userIdentity.userName;
}

/** The console's one date format (lib/console/dates.ts), in the zone the person chose. */
export const formatTime = (iso: string): string => formatDateTime(iso);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `<input type="datetime-local">` value for a date, in local time. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** ISO string of a `datetime-local` value, or undefined when empty or invalid. */
export function fromLocalInput(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
