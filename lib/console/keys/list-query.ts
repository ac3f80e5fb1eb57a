// The keys list in SQL. Prisma's query builder can order by a column or by a
// relation's count, but not by a relation's smallest value (a key's first
// alias) or by an expression (the rotation the list shows), so the list's
// filters and orderings live here, once, for every sort column.
//
// Cost: sorts other than "createdAt" (indexed) sort every matching key. The
// alias sort aggregates the Alias table in one hashed pass (~10 ms for 10,000
// keys in PostgreSQL's plan); a whole list call, any sort, any page, measured
// 10–40 ms with 10,000 keys, so no extra index pays off at that size. Substring
// search scans the text columns, as it did before. Behaviour:
// tests/console/key-list.test.ts.
import "server-only";
import { likePattern } from "@/lib/audit/query";
import { prisma, Prisma } from "@/lib/db/client";
import type { KeyListSort, KeyListView, SortDirection } from "./types";

const asUuid = (hex32: string) => `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;

/** A search that is a key ID (or its ARN), or the start of one (4+ characters): the range of key IDs it names. */
function keyIdRange(q: string): { lo: string; hi: string } | undefined {
  const id = q.toLowerCase().replace(/^arn:aws:kms:[^:]*:\d{12}:key\//, "");
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-f]{4,32}$/.test(hex)) return undefined;
  // A range on the primary key stays index-friendly; the dashes must sit where a key ID has them.
  const lo = asUuid(hex.padEnd(32, "0"));
  return lo.startsWith(id) ? { lo, hi: asUuid(hex.padEnd(32, "f")) } : undefined;
}

/** The filters that reveal nothing beyond what the list row shows (state, spec, usage). */
function filterConditions(view: KeyListView): Prisma.Sql[] {
  const and: Prisma.Sql[] = [Prisma.sql`k."deletedAt" IS NULL`];
  if (view.status) and.push(Prisma.sql`k."keyState" = ${view.status}`);
  if (view.spec) and.push(Prisma.sql`k."keySpec" = ${view.spec}`);
  if (view.usage) and.push(Prisma.sql`k."keyUsage" = ${view.usage}`);
  return and;
}

/** The tag filter ("key=value" or "key"): keys that have that tag. */
function tagCondition(tag: string): Prisma.Sql {
  const eq = tag.indexOf("=");
  const tagKey = (eq < 0 ? tag : tag.slice(0, eq)).trim();
  const value = eq < 0 ? Prisma.empty : Prisma.sql` AND t."tagValue" = ${tag.slice(eq + 1).trim()}`;
  return Prisma.sql`k.id IN (SELECT t."keyId" FROM "KeyTag" t WHERE t."tagKey" = ${tagKey}${value})`;
}

/**
 * What a search may match, by what reading it needs: aliases and key IDs are
 * on every row (ListKeys, ListAliases); a description is DescribeKey's to give
 * and tags are ListResourceTags'. The caller decides on the last two per key.
 */
function searchTerms(q: string): { open: Prisma.Sql; description: Prisma.Sql; tags: Prisma.Sql } {
  const like = likePattern(q);
  // IN (subquery), not a correlated EXISTS: the same hashed plan, but PostgreSQL's estimate for
  // EXISTS under OR is high enough to switch on JIT compilation, which costs more than the query.
  const open = [Prisma.sql`k.id IN (SELECT a."keyId" FROM "Alias" a WHERE a.name ILIKE ${like})`];
  const ids = keyIdRange(q);
  if (ids) open.push(Prisma.sql`k.id BETWEEN ${ids.lo}::uuid AND ${ids.hi}::uuid`);
  return {
    open: Prisma.sql`(${Prisma.join(open, " OR ")})`,
    description: Prisma.sql`k.description ILIKE ${like}`,
    tags: Prisma.sql`k.id IN (SELECT t."keyId" FROM "KeyTag" t WHERE t."tagKey" ILIKE ${like} OR t."tagValue" ILIKE ${like})`,
  };
}

/** The WHERE condition on "KmsKey" k for the view's filters; searches (q, tag) go through keyListSearch. */
export function keyListCondition(view: KeyListView): Prisma.Sql {
  return Prisma.join(filterConditions(view), " AND ");
}

/** Whether the view searches text only some callers may read (descriptions, tags). */
export const searchesText = (view: KeyListView) => Boolean(view.q || view.tag);

/** A key a search found, with what it matched on and what deciding the caller's reads needs. */
export interface KeySearchMatch {
  id: string;
  /** Matched on an alias or the key ID (visible on any row). */
  open: boolean;
  byDescription: boolean;
  byTags: boolean;
  keySpec: string;
  keyUsage: string;
  origin: string;
  policy: string;
}

/** Every key the view's search and filters match, in the view's order (the caller filters by what it may read, then pages). */
export async function keyListSearch(view: KeyListView): Promise<KeySearchMatch[]> {
  const and = filterConditions(view);
  if (view.tag) and.push(tagCondition(view.tag));
  const t = view.q ? searchTerms(view.q) : undefined;
  if (t) and.push(Prisma.sql`(${t.open} OR ${t.description} OR ${t.tags})`);
  return prisma.$queryRaw<KeySearchMatch[]>`
    SELECT k.id::text AS id, k."keySpec", k."keyUsage", k.origin, k.policy,
      ${t ? t.open : Prisma.sql`false`} AS open,
      ${t ? t.description : Prisma.sql`false`} AS "byDescription",
      ${t ? t.tags : Prisma.sql`false`} AS "byTags"
    FROM "KmsKey" k ${view.sort === "alias" ? FIRST_ALIAS_JOIN : Prisma.empty}
    WHERE ${Prisma.join(and, " AND ")}
    ORDER BY ${keyListOrder(view.sort, view.dir)}
    LIMIT ${MAX_SEARCH_MATCHES}`;
}

/** Bound on the keys one search considers (a search is meant to narrow the list). */
export const MAX_SEARCH_MATCHES = 10_000;

// Direction and NULLS placement are keywords, not values: fixed fragments picked by the validated direction.
// NULLS LAST ascending (keys without an alias, keys that do not rotate) and the exact reverse descending,
// so paging one way and the other shows the same keys.
const ORDER: Record<SortDirection, { dir: Prisma.Sql; nulls: Prisma.Sql }> = {
  asc: { dir: Prisma.raw("ASC"), nulls: Prisma.raw("NULLS LAST") },
  desc: { dir: Prisma.raw("DESC"), nulls: Prisma.raw("NULLS FIRST") },
};

const COLUMNS: Record<"description" | "keyState" | "keySpec" | "keyUsage", Prisma.Sql> = {
  description: Prisma.raw(`k."description"`),
  keyState: Prisma.raw(`k."keyState"`),
  keySpec: Prisma.raw(`k."keySpec"`),
  keyUsage: Prisma.raw(`k."keyUsage"`),
};

/**
 * The rotation column as the list shows it: "Next <date>" sorts by that date,
 * then "Off" (a symmetric key without rotation), then "—" (key specs that
 * cannot rotate). A key pending deletion shows "Off" whatever its setting.
 */
const NEXT_ROTATION = Prisma.sql`CASE WHEN k."rotationEnabled" AND k."keyState" <> 'PendingDeletion' THEN k."nextRotationDate" END`;
const ROTATABLE_RANK = Prisma.sql`CASE WHEN k."keySpec" = 'SYMMETRIC_DEFAULT' THEN 0 ELSE 1 END`;

/** A key's first alias by name (what the list shows first), for the alias sort only. */
const FIRST_ALIAS_JOIN = Prisma.sql`LEFT JOIN (SELECT "keyId", min(name) AS name FROM "Alias" GROUP BY "keyId") first_alias ON first_alias."keyId" = k.id`;

/** ORDER BY terms; ties end on (createdAt, id) so pages never overlap. */
export function keyListOrder(sort: KeyListSort, direction: SortDirection): Prisma.Sql {
  const { dir, nulls } = ORDER[direction];
  const newestFirst = [Prisma.sql`k."createdAt" DESC`, Prisma.sql`k.id DESC`];
  let terms: Prisma.Sql[];
  switch (sort) {
    case "createdAt":
      terms = [Prisma.sql`k."createdAt" ${dir}`, Prisma.sql`k.id ${dir}`];
      break;
    case "id":
      terms = [Prisma.sql`k.id ${dir}`];
      break;
    case "alias":
      terms = [Prisma.sql`first_alias.name ${dir} ${nulls}`, ...newestFirst];
      break;
    case "rotation":
      terms = [Prisma.sql`${NEXT_ROTATION} ${dir} ${nulls}`, Prisma.sql`${ROTATABLE_RANK} ${dir}`, ...newestFirst];
      break;
    default:
      terms = [Prisma.sql`${COLUMNS[sort]} ${dir}`, ...newestFirst];
  }
  return Prisma.join(terms, ", ");
}

/** The IDs of one page of the view, in order. */
export async function keyListPageIds(view: KeyListView): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT k.id::text AS id
    FROM "KmsKey" k ${view.sort === "alias" ? FIRST_ALIAS_JOIN : Prisma.empty}
    WHERE ${keyListCondition(view)}
    ORDER BY ${keyListOrder(view.sort, view.dir)}
    LIMIT ${view.pageSize} OFFSET ${(view.page - 1) * view.pageSize}`;
  return rows.map((r) => r.id);
}

/** How many keys the view matches (all pages). */
export async function keyListCount(view: KeyListView): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ total: number }>>`
    SELECT count(*)::int AS total FROM "KmsKey" k WHERE ${keyListCondition(view)}`;
  return row?.total ?? 0;
}
