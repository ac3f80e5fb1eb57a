// Browser-side helpers shared by the key views.
import type { ActionResult } from "@/lib/console/result";

export class ActionError extends Error {
  constructor(
    public readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store" });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ActionError(body.__type ?? "Error", body.message ?? `Request failed (${res.status})`);
  return body as T;
}

/** Unwraps an action result so TanStack Query sees failures as errors (with the AWS exception name). */
export async function unwrap<T>(p: Promise<ActionResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new ActionError(r.error.name, r.error.message);
  return r.data;
}

export const keyName = (k: { aliases: string[]; id: string }) => k.aliases[0] ?? k.id;
