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
import type { AuditRecord } from "./record";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
export const MAX_SEARCH_LENGTH = 200;
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
const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]*:\d*:key\/([0-9a-f-]{36})$/i;

/** Empty strings from forms and query strings mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

const date = z.coerce.date({ error: "must be a date and time (ISO 8601)" }).refine((d) => !Number.isNaN(d.getTime()), "must be a valid date");

const keyIdSchema = optional(
  z
    .string()
    .trim()
    .max(2048)
    .transform((v, ctx) => {
      if (UUID.test(v)) return v.toLowerCase();
      const m = KEY_ARN.exec(v);
      if (m && UUID.test(m[1]!)) return m[1]!.toLowerCase();
      ctx.addIssue({ code: "custom", message: "keyId must be a key ID (UUID) or a key ARN" });
      return z.NEVER;
    }),
);

const filtersSchema = z
  .object({
    from: optional(date),
    to: optional(date),
    eventName: optional(
      z
        .string()
        .trim()
        .max(128, "eventName is at most 128 characters")
        .regex(/^[A-Za-z0-9_.:-]+$/, "eventName may only contain letters, digits and _ . : -"),
    ),
    keyId: keyIdSchema,
    principal: optional(z.string().trim().min(1).max(512, "principal is at most 512 characters")),
    sourceIp: optional(z.string().trim().max(64, "sourceIp is at most 64 characters")),
    errorsOnly: optional(z.boolean()),
    readOnly: optional(z.boolean()),
    search: optional(z.string().trim().max(MAX_SEARCH_LENGTH, `search is at most ${MAX_SEARCH_LENGTH} characters`)),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), { message: "from must not be after to" });

export type AuditFilters = z.input<typeof filtersSchema>;
type ParsedFilters = z.output<typeof filtersSchema>;

const pageSchema = z
  .object({
    cursor: optional(z.string().max(200)),
    limit: optional(z.coerce.number().int().min(1).max(MAX_PAGE_SIZE, `limit is at most ${MAX_PAGE_SIZE}`)),
  })
  .strict();

/** Escapes LIKE wildcards so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

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

function conditions(f: ParsedFilters): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (f.from) where.push(Prisma.sql`"eventTime" >= ${f.from}`);
  if (f.to) where.push(Prisma.sql`"eventTime" <= ${f.to}`);
  if (f.eventName) where.push(Prisma.sql`"eventName" = ${f.eventName}`);
  if (f.keyId) where.push(Prisma.sql`"keyId" = ${f.keyId}::uuid`);
  if (f.principal) {
    if (f.principal.startsWith("arn:")) where.push(Prisma.sql`"principalArn" = ${f.principal}`);
    else {
      // A username (or any part of an ARN); callers that could not be
      // authenticated have no ARN, only the name they claimed.
      const p = likePattern(f.principal);
      where.push(
        Prisma.sql`("principalArn" ILIKE ${p} OR ("principalArn" IS NULL AND (record::jsonb #>> '{userIdentity,userName}') ILIKE ${p}))`,
      );
    }
  }
  if (f.sourceIp) where.push(Prisma.sql`"sourceIp" = ${f.sourceIp}`);
  if (f.errorsOnly) where.push(Prisma.sql`"errorCode" IS NOT NULL`);
  if (f.readOnly !== undefined) where.push(Prisma.sql`"readOnly" = ${f.readOnly}`);
  // Bounded: the text is at most MAX_SEARCH_LENGTH characters, matched
  // literally, and each page stops after `limit` matches in time order.
  if (f.search) where.push(Prisma.sql`record ILIKE ${likePattern(f.search)}`);
  return where;
}

const whereClause = (where: Prisma.Sql[]) => (where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty);

interface EventRow {
  id: bigint;
  chainId: string;
  chainSeq: number;
  hash: string;
  record: string;
  eventTime: Date;
}

const view = (r: EventRow): AuditEventView => ({
  id: r.id.toString(),
  chainId: r.chainId,
  chainSeq: r.chainSeq,
  hash: r.hash,
  record: JSON.parse(r.record) as AuditRecord,
});

type PageInput = { cursor?: string; limit?: number };

/** The timeline: events matching `filters`, newest first, `limit` at a time. Recorded as LookupEvents. */
export function queryAuditEvents(caller: Principal, filters: AuditFilters = {}, page: PageInput = {}): Promise<AuditEventPage> {
  return auditedTrailRead(AUDIT_READ_EVENTS.lookup, caller, { ...filters, ...page }, () => lookupEvents(caller, filters, page));
}

async function lookupEvents(caller: Principal, filters: AuditFilters, page: PageInput): Promise<AuditEventPage> {
  authorizeAuditRead(caller);
  const f = validate(filtersSchema, filters);
  const { cursor, limit = DEFAULT_PAGE_SIZE } = validate(pageSchema, page);
  const where = conditions(f);
  if (cursor) {
    const c = decodeCursor(cursor);
    where.push(Prisma.sql`("eventTime", id) < (${c.time}, ${c.id})`);
  }
  const rows = await prisma.$queryRaw<EventRow[]>`
    SELECT id, "chainId"::text AS "chainId", "chainSeq", hash, record, "eventTime"
    FROM "AuditEvent" ${whereClause(where)}
    ORDER BY "eventTime" DESC, id DESC
    LIMIT ${limit + 1}`;
  const more = rows.length > limit;
  const events = rows.slice(0, limit);
  const last = events[events.length - 1];
  return { events: events.map(view), ...(more && last ? { nextCursor: encodeCursor(last.eventTime, last.id) } : {}) };
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
    select: { id: true, chainId: true, chainSeq: true, hash: true, record: true, eventTime: true },
  });
  if (!row) throw new NotFoundException(`Audit event ${id} does not exist.`);
  return view(row);
}

const BUCKET_MS: Record<UsageBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const usageSchema = z
  .object({
    keyId: keyIdSchema,
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
  if (u.keyId) where.push(Prisma.sql`"keyId" = ${u.keyId}::uuid`);
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
  const text = (k: string) => sp.get(k) ?? undefined;
  const bool = (k: string): boolean | undefined => {
    const v = sp.get(k);
    if (v === null || v === "" || v === "any") return undefined;
    return v === "true" || v === "1";
  };
  const limit = sp.get("limit");
  return {
    filters: {
      from: text("from"),
      to: text("to"),
      eventName: text("eventName"),
      keyId: text("keyId"),
      principal: text("principal"),
      sourceIp: text("sourceIp"),
      errorsOnly: bool("errorsOnly"),
      readOnly: bool("readOnly"),
      search: text("q") ?? text("search"),
    },
    page: { cursor: text("cursor"), limit: limit ? Number(limit) : undefined },
  };
}
