// Reading the audit trail: the console's timeline (filtered, newest first,
// keyset-paginated), one event, usage counts for charts, and the names of the
// events on record. Administrators and auditors only (authorizeAuditRead).
// Each exported read is itself one audited call (auditedTrailRead).
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { validate } from "@/lib/access/validate";
import { prisma, Prisma } from "@/lib/db/client";
import { InvalidMarkerException, NotFoundException } from "@/lib/errors";
import { authorizeAuditRead } from "./access";
import { AUDIT_READ_EVENTS, auditedTrailRead } from "./audited-read";
import { CONSOLE_VIEW_SQL, conditions, date, filtersSchema, keyIdOfRef, keyRefSchema, optional, parseFilterParams, searchMatcher, whereClause, type AuditFilters } from "./filters";
import { aliasesOfKeys, type KeyAliases } from "./key-names";
import type { AuditRecord } from "./record";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";
import { scanMatching, type ScanPosition } from "./search-scan";

export { likePattern, MAX_SEARCH_LENGTH, type AuditFilters } from "./filters";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Usage charts never return more buckets than this (a minute chart spans at most a day). */
export const MAX_USAGE_BUCKETS = 1500;

export interface AuditEventView {
  /** The row's sequence number across all chains (a bigint, as a string). */
  id: string;
  chainId: string;
  chainSeq: number;
  hash: string;
  record: AuditRecord;
}

export interface AuditEventPage {
  events: AuditEventView[];
  nextCursor?: string;
  /**
   * A free-text search stopped reading here (ISO time) before it filled the
   * page: older events are unsearched, and `nextCursor` searches further back.
   */
  searchedBackTo?: string;
  /** The current aliases of the keys the page's events name. */
  aliases: KeyAliases;
}

export type UsageBucket = "minute" | "hour" | "day";

export interface AuditUsage {
  bucket: UsageBucket;
  from: string;
  to: string;
  /** Every bucket of the range, oldest first, empty ones included. */
  buckets: Array<{
    time: string;
    total: number;
    errors: number;
    events: Array<{ eventName: string; count: number; errors: number }>;
  }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pageSchema = z
  .object({
    cursor: optional(z.string().max(200)),
    limit: optional(z.coerce.number().int().min(1).max(MAX_PAGE_SIZE, `limit is at most ${MAX_PAGE_SIZE}`)),
  })
  .strict();

function encodeCursor(time: Date, id: bigint): string {
  return Buffer.from(JSON.stringify([time.toISOString(), id.toString()])).toString("base64url");
}

function decodeCursor(cursor: string): { time: Date; id: bigint } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof t !== "string" || typeof id !== "string" || !/^\d{1,19}$/.test(id)) throw new Error();
    const time = new Date(t);
    if (Number.isNaN(time.getTime())) throw new Error();
    return { time, id: BigInt(id) };
  } catch {
    throw new InvalidMarkerException("The cursor is not valid. Start again from the first page.");
  }
}

interface EventRow {
  id: bigint;
  chainId: string;
  chainSeq: number;
  hash: string;
  eventId: string;
  record: string | null;
  body: Uint8Array | null;
  eventTime: Date;
}

const view = (r: Pick<EventRow, "id" | "chainId" | "chainSeq" | "hash">, text: string): AuditEventView => ({
  id: r.id.toString(),
  chainId: r.chainId,
  chainSeq: r.chainSeq,
  hash: r.hash,
  record: JSON.parse(text) as AuditRecord,
});

type PageInput = { cursor?: string; limit?: number };

export interface LookupOptions {
  /** Rows a free-text search reads per request at most (search-scan.ts's default; smaller in tests). */
  searchScanRows?: number;
}

/**
 * The timeline: events matching `filters`, newest first, `limit` at a time. Recorded as LookupEvents.
 * A free-text search reads a bounded number of rows per call: a page may come back short with
 * `searchedBackTo` and a cursor that continues the search further back.
 */
export function queryAuditEvents(caller: Principal, filters: AuditFilters = {}, page: PageInput = {}, options: LookupOptions = {}): Promise<AuditEventPage> {
  return auditedTrailRead(AUDIT_READ_EVENTS.lookup, caller, { ...filters, ...page }, () => lookupEvents(caller, filters, page, options));
}

async function lookupEvents(caller: Principal, filters: AuditFilters, page: PageInput, options: LookupOptions): Promise<AuditEventPage> {
  authorizeAuditRead(caller);
  const f = validate(filtersSchema, filters);
  const { cursor, limit = DEFAULT_PAGE_SIZE } = validate(pageSchema, page);
  const where = await conditions(f);
  const after = cursor ? decodeCursor(cursor) : undefined;
  const matches = searchMatcher(f);
  let rows: Array<{ row: Pick<EventRow, "id" | "chainId" | "chainSeq" | "hash" | "eventTime">; text: string }>;
  let stoppedAt: ScanPosition | undefined;
  if (matches) {
    const scan = await scanMatching(where, matches, { after, limit: limit + 1, maxRows: options.searchScanRows });
    rows = scan.rows.map((r) => ({ row: r, text: r.text }));
    stoppedAt = scan.stoppedAt;
  } else {
    if (after) where.push(Prisma.sql`("eventTime", id) < (${after.time}, ${after.id})`);
    const found = await prisma.$queryRaw<EventRow[]>`
      SELECT id, "chainId"::text AS "chainId", "chainSeq", encode(hash, 'hex') AS hash, "eventId"::text AS "eventId", record, body, "eventTime"
      FROM "AuditEvent" ${whereClause(where)}
      ORDER BY "eventTime" DESC, id DESC
      LIMIT ${limit + 1}`;
    rows = found.map((r) => ({ row: r, text: decodeRecord(r) }));
  }
  const more = rows.length > limit;
  const events = rows.slice(0, limit);
  const last = events[events.length - 1]?.row;
  const views = events.map((e) => view(e.row, e.text));
  const aliases = await aliasesOfKeys(views.flatMap((e) => (e.record.resources ?? []).map((r) => r.ARN)));
  if (more && last) return { events: views, aliases, nextCursor: encodeCursor(last.eventTime, last.id) };
  // The search's row budget ran out before the page filled: continue after the last row it read.
  if (stoppedAt) return { events: views, aliases, nextCursor: encodeCursor(stoppedAt.time, stoppedAt.id), searchedBackTo: stoppedAt.time.toISOString() };
  return { events: views, aliases };
}

/** One event, by its row ID or its eventID (UUID). Recorded as GetAuditEvent. */
export function auditEventById(caller: Principal, eventId: string): Promise<AuditEventView> {
  return auditedTrailRead(AUDIT_READ_EVENTS.getEvent, caller, { eventId }, () => findEvent(caller, eventId));
}

async function findEvent(caller: Principal, eventId: string): Promise<AuditEventView> {
  authorizeAuditRead(caller);
  const id = String(eventId ?? "").trim();
  let where: Prisma.AuditEventWhereInput;
  if (/^\d{1,19}$/.test(id)) where = { id: BigInt(id) };
  else if (UUID.test(id)) where = { eventId: id.toLowerCase() };
  else throw new NotFoundException(`Audit event ${id.slice(0, 64)} does not exist.`);
  const row = await prisma.auditEvent.findFirst({
    where,
    select: { id: true, chainId: true, chainSeq: true, eventId: true, hash: true, record: true, body: true },
  });
  if (!row) throw new NotFoundException(`Audit event ${id} does not exist.`);
  return view({ ...row, hash: Buffer.from(row.hash).toString("hex") }, decodeRecord(row));
}

const BUCKET_MS: Record<UsageBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const usageSchema = z
  .object({
    keyId: keyRefSchema,
    /** Count only what used the key, not the console reads that showed it. */
    hideConsoleViews: optional(z.boolean()),
    bucket: z.enum(["minute", "hour", "day"], { error: "bucket must be minute, hour or day" }),
    from: date,
    to: date,
  })
  .strict()
  .refine((u) => u.from.getTime() < u.to.getTime(), { message: "from must be before to" })
  .refine((u) => (u.to.getTime() - u.from.getTime()) / BUCKET_MS[u.bucket] <= MAX_USAGE_BUCKETS, {
    message: `The range spans more than ${MAX_USAGE_BUCKETS} buckets: choose a larger bucket or a shorter range`,
  });

export type AuditUsageInput = z.input<typeof usageSchema>;

function truncate(d: Date, bucket: UsageBucket): Date {
  const t = new Date(d.getTime());
  t.setUTCSeconds(0, 0);
  if (bucket !== "minute") t.setUTCMinutes(0);
  if (bucket === "day") t.setUTCHours(0);
  return t;
}

/** Calls per bucket (UTC) and event name, with how many failed, for charts. Recorded as GetAuditUsage. */
export function auditUsage(caller: Principal, input: AuditUsageInput): Promise<AuditUsage> {
  return auditedTrailRead(AUDIT_READ_EVENTS.usage, caller, input, () => countUsage(caller, input));
}

async function countUsage(caller: Principal, input: AuditUsageInput): Promise<AuditUsage> {
  authorizeAuditRead(caller);
  const u = validate(usageSchema, input);
  const where = [Prisma.sql`"eventTime" >= ${u.from}`, Prisma.sql`"eventTime" <= ${u.to}`];
  if (u.keyId) {
    const keyId = await keyIdOfRef(u.keyId);
    where.push(keyId ? Prisma.sql`"keyId" = ${keyId}::uuid` : Prisma.sql`FALSE`);
  }
  if (u.hideConsoleViews) where.push(Prisma.sql`NOT ${CONSOLE_VIEW_SQL}`);
  const rows = await prisma.$queryRaw<Array<{ t: Date; eventName: string; count: number; errors: number }>>`
    SELECT date_trunc(${u.bucket}::text, "eventTime") AS t, "eventName",
           count(*)::int AS count, (count(*) FILTER (WHERE "errorCode" IS NOT NULL))::int AS errors
    FROM "AuditEvent" ${whereClause(where)}
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  const byTime = new Map<number, AuditUsage["buckets"][number]>();
  const step = BUCKET_MS[u.bucket];
  for (let t = truncate(u.from, u.bucket).getTime(); t <= u.to.getTime(); t += step) {
    byTime.set(t, { time: new Date(t).toISOString(), total: 0, errors: 0, events: [] });
  }
  for (const r of rows) {
    const b = byTime.get(new Date(r.t).getTime());
    if (!b) continue;
    const count = Number(r.count);
    const errors = Number(r.errors);
    b.total += count;
    b.errors += errors;
    b.events.push({ eventName: r.eventName, count, errors });
  }
  return { bucket: u.bucket, from: u.from.toISOString(), to: u.to.toISOString(), buckets: [...byTime.values()] };
}

/** The distinct event names on record, for filter suggestions. Recorded as ListAuditEventNames. */
export function auditEventNames(caller: Principal): Promise<string[]> {
  return auditedTrailRead(AUDIT_READ_EVENTS.eventNames, caller, undefined, () => distinctEventNames(caller));
}

/** A loose index scan: one index probe per distinct name. */
async function distinctEventNames(caller: Principal): Promise<string[]> {
  authorizeAuditRead(caller);
  const rows = await prisma.$queryRaw<Array<{ n: string | null }>>`
    WITH RECURSIVE names AS (
      (SELECT "eventName" AS n FROM "AuditEvent" ORDER BY "eventName" LIMIT 1)
      UNION ALL
      SELECT (SELECT "eventName" FROM "AuditEvent" WHERE "eventName" > names.n ORDER BY "eventName" LIMIT 1)
      FROM names WHERE names.n IS NOT NULL
    )
    SELECT n FROM names WHERE n IS NOT NULL LIMIT 500`;
  return rows.map((r) => r.n!).filter(Boolean);
}

/** Reads the timeline filters and page from a query string (route handlers). */
export function parseAuditSearchParams(sp: URLSearchParams): { filters: AuditFilters; page: PageInput } {
  const limit = sp.get("limit");
  return { filters: parseFilterParams(sp), page: { cursor: sp.get("cursor") ?? undefined, limit: limit ? Number(limit) : undefined } };
}
