// The keys list's view (search, filters, sort, page) as URL query parameters.
// Shared by the browser, where the URL is the view's source of truth, and by
// /api/keys, so both read a link the same way. Links get hand-edited, shared
// and outlive releases: a value that does not validate falls back to its
// default (or to "no filter") instead of failing the page.
import { z } from "zod";
import { KEY_SPECS, KEY_USAGES } from "@/lib/crypto/specs";
import { KEY_STATES } from "@/lib/kms/state";
import { KEY_LIST_SORTS, type KeyListParams, type KeyListView } from "./types";

export const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 100_000;

export const KEY_LIST_DEFAULTS = { sort: "createdAt", dir: "desc", page: 1, pageSize: 25 } as const satisfies Partial<KeyListView>;

/** Free text, trimmed and cut to `max` characters; empty means no filter. */
const text = (max: number) =>
  z
    .string()
    .transform((s) => s.trim().slice(0, max) || undefined)
    .optional()
    .catch(undefined);

/** One of `values`, else no filter. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

/** A whole number clamped into [min, max] ("pageSize=500" means the largest page); not a number means `fallback`. */
const clampedInt = (fallback: number, min: number, max: number) =>
  z
    .preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number().int())
    .transform((n) => Math.min(max, Math.max(min, n)))
    .catch(fallback);

export const keyListParamsSchema = z.object({
  q: text(256),
  /** "key=value" or "key". */
  tag: text(400),
  status: oneOf(KEY_STATES),
  spec: oneOf(KEY_SPECS),
  usage: oneOf(KEY_USAGES),
  usable: oneOf(["1"]),
  sort: z.enum(KEY_LIST_SORTS).catch(KEY_LIST_DEFAULTS.sort),
  dir: z.enum(["asc", "desc"]).catch(KEY_LIST_DEFAULTS.dir),
  page: clampedInt(KEY_LIST_DEFAULTS.page, 1, MAX_PAGE),
  pageSize: clampedInt(KEY_LIST_DEFAULTS.pageSize, 1, MAX_PAGE_SIZE),
});

/** The parameters, in the order the URL lists them. */
const FIELDS = Object.keys(keyListParamsSchema.shape) as Array<keyof KeyListView>;

/** Bounds and defaults for list parameters from any caller (never throws: see the file comment). */
export function normalizeKeyListParams(params: KeyListParams | Record<string, unknown>): KeyListView {
  return keyListParamsSchema.parse(params);
}

/** Reads the view from a query string (URLSearchParams or Next's ReadonlyURLSearchParams). */
export function parseKeyListParams(search: { get(name: string): string | null }): KeyListView {
  return normalizeKeyListParams(Object.fromEntries(FIELDS.map((f) => [f, search.get(f) ?? undefined])));
}

/**
 * The query string for a view, without the parameters at their defaults, so
 * the plain list stays at /keys and a link names only what differs from it.
 */
export function keyListSearch(params: KeyListParams): string {
  const view = normalizeKeyListParams(params);
  const out = new URLSearchParams();
  for (const f of FIELDS) {
    const v = view[f];
    if (v === undefined || v === KEY_LIST_DEFAULTS[f as keyof typeof KEY_LIST_DEFAULTS]) continue;
    out.set(f, String(v));
  }
  return out.toString();
}
