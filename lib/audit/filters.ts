// The timeline's filters, shared by the event list, the principal × outcome
// summary and the export: validation (zod) and the SQL conditions they become.
import { z } from "zod";
import { prisma, Prisma } from "@/lib/db/client";

export const MAX_SEARCH_LENGTH = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]*:\d*:key\/([0-9a-f-]{36})$/i;
const ALIAS = /^(?:arn:[a-z-]+:kms:[a-z0-9-]*:\d*:)?(alias\/[a-zA-Z0-9/_-]{1,250})$/;

/** Empty strings from forms and query strings mean "no filter". */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const date = z.coerce.date({ error: "must be a date and time (ISO 8601)" }).refine((d) => !Number.isNaN(d.getTime()), "must be a valid date");

/** A key ID, key ARN, alias name or alias ARN; aliases are resolved to their key when the query runs. */
export const keyRefSchema = optional(
  z
    .string()
    .trim()
    .max(2048)
    .transform((v, ctx): { keyId: string } | { alias: string } => {
      if (UUID.test(v)) return { keyId: v.toLowerCase() };
      const m = KEY_ARN.exec(v);
      if (m && UUID.test(m[1]!)) return { keyId: m[1]!.toLowerCase() };
      const a = ALIAS.exec(v);
      if (a) return { alias: a[1]! };
      ctx.addIssue({ code: "custom", message: "keyId must be a key ID (UUID), a key ARN or an alias (alias/name)" });
      return z.NEVER;
    }),
);

/** allowed: no error; denied: AccessDeniedException; failed: any other error. */
export const OUTCOMES = ["allowed", "denied", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const DENIED_ERROR = "AccessDeniedException";

export const filtersSchema = z
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
    keyId: keyRefSchema,
    principal: optional(z.string().trim().min(1).max(512, "principal is at most 512 characters")),
    sourceIp: optional(z.string().trim().max(64, "sourceIp is at most 64 characters")),
    errorsOnly: optional(z.boolean()),
    outcome: optional(z.enum(OUTCOMES, { error: "outcome must be allowed, denied or failed" })),
    readOnly: optional(z.boolean()),
    /** Leaves out the console's own page reads (flagged consoleView), the auditor's included. */
    hideConsoleViews: optional(z.boolean()),
    search: optional(z.string().trim().max(MAX_SEARCH_LENGTH, `search is at most ${MAX_SEARCH_LENGTH} characters`)),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), { message: "from must not be after to" });

export type AuditFilters = z.input<typeof filtersSchema>;
export type ParsedFilters = z.output<typeof filtersSchema>;

/** Escapes LIKE wildcards so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/** The key an alias names now; null when no key has it (the filter then matches nothing). */
export async function keyIdOfRef(ref: { keyId: string } | { alias: string }): Promise<string | null> {
  if ("keyId" in ref) return ref.keyId;
  const row = await prisma.alias.findUnique({ where: { name: ref.alias }, select: { keyId: true } });
  return row?.keyId ?? null;
}

/** A console page read: a column taken from the record when it is written (lib/audit/stored-row.ts). */
export const CONSOLE_VIEW_SQL = Prisma.sql`"consoleView"`;

export function outcomeSql(o: Outcome): Prisma.Sql {
  if (o === "allowed") return Prisma.sql`"errorCode" IS NULL`;
  if (o === "denied") return Prisma.sql`"errorCode" = ${DENIED_ERROR}`;
  return Prisma.sql`("errorCode" IS NOT NULL AND "errorCode" <> ${DENIED_ERROR})`;
}

/** SQL conditions of parsed filters; resolves an alias filter first. */
export async function conditions(f: ParsedFilters): Promise<Prisma.Sql[]> {
  const where: Prisma.Sql[] = [];
  if (f.from) where.push(Prisma.sql`"eventTime" >= ${f.from}`);
  if (f.to) where.push(Prisma.sql`"eventTime" <= ${f.to}`);
  if (f.eventName) where.push(Prisma.sql`"eventName" = ${f.eventName}`);
  if (f.keyId) {
    const keyId = await keyIdOfRef(f.keyId);
    where.push(keyId ? Prisma.sql`"keyId" = ${keyId}::uuid` : Prisma.sql`FALSE`);
  }
  if (f.principal) {
    if (f.principal.startsWith("arn:")) where.push(Prisma.sql`"principalArn" = ${f.principal}`);
    else {
      // A username (or any part of an ARN); callers that could not be
      // authenticated have no ARN, only the name they claimed.
      const p = likePattern(f.principal);
      where.push(
        Prisma.sql`("principalArn" ILIKE ${p} OR ("principalArn" IS NULL AND "userName" ILIKE ${p}))`,
      );
    }
  }
  if (f.sourceIp) where.push(Prisma.sql`"sourceIp" = ${f.sourceIp}`);
  if (f.errorsOnly) where.push(Prisma.sql`"errorCode" IS NOT NULL`);
  if (f.outcome) where.push(outcomeSql(f.outcome));
  if (f.readOnly !== undefined) where.push(Prisma.sql`"readOnly" = ${f.readOnly}`);
  if (f.hideConsoleViews) where.push(Prisma.sql`NOT ${CONSOLE_VIEW_SQL}`);
  // f.search is not SQL: the record text is stored compressed (searchMatcher).
  return where;
}

/**
 * The free-text search over the whole record, case-insensitive and literal
 * as ILIKE was; applied to decoded records (lib/audit/search-scan.ts) since
 * the database holds them compressed. undefined: no search.
 */
export function searchMatcher(f: ParsedFilters): ((recordText: string) => boolean) | undefined {
  if (!f.search) return undefined;
  const needle = f.search.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

export const whereClause = (where: Prisma.Sql[]) => (where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty);

/** Reads the timeline filters from a query string (route handlers). */
export function parseFilterParams(sp: URLSearchParams): AuditFilters {
  const text = (k: string) => sp.get(k) ?? undefined;
  const bool = (k: string): boolean | undefined => {
    const v = sp.get(k);
    if (v === null || v === "" || v === "any") return undefined;
    return v === "true" || v === "1";
  };
  return {
    from: text("from"),
    to: text("to"),
    eventName: text("eventName"),
    keyId: text("keyId"),
    principal: text("principal"),
    sourceIp: text("sourceIp"),
    errorsOnly: bool("errorsOnly"),
    outcome: text("outcome") as AuditFilters["outcome"],
    readOnly: bool("readOnly"),
    hideConsoleViews: bool("hideConsoleViews"),
    search: text("q") ?? text("search"),
  };
}
