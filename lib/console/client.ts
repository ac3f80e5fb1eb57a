// Browser-side helpers for console data: route-handler reads and server-action
// results, turned into errors TanStack Query understands (named after the AWS exception).
import { STEP_UP_EVENT, STEP_UP_REQUIRED } from "@/lib/auth/mfa/step-up-message";
import type { ActionResult } from "./result";

export class ActionError extends Error {
  constructor(
    public readonly type: string,
    message: string,
    /** Set when the change was held for approval instead of made. */
    public readonly approvalRequestId?: string,
  ) {
    super(message);
    this.name = type;
  }
}

export async function getJson<T>(url: string, init: { method?: "GET" | "POST"; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(url, { cache: "no-store", ...init });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ActionError(body.__type ?? "Error", body.message ?? `Request failed (${res.status})`);
  return body as T;
}

/** Unwraps an action result so TanStack Query sees failures as errors. */
export async function unwrap<T>(p: Promise<ActionResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) {
    // Refused for want of a fresh second factor: the console offers the step-up dialog.
    if (r.error.message === STEP_UP_REQUIRED && typeof window !== "undefined") window.dispatchEvent(new Event(STEP_UP_EVENT));
    throw new ActionError(r.error.name, r.error.message, r.error.approvalRequestId);
  }
  return r.data;
}
