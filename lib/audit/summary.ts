// "Who used key X last week, and was anything denied?": the events matching
// the timeline's filters, grouped by principal and outcome (allowed / denied /
// failed) with counts and the last time. Recorded as GetAuditSummary.
import type { Principal } from "@/lib/auth/principal";
import { validate } from "@/lib/access/validate";
import { prisma, type Prisma } from "@/lib/db/client";
import { authorizeAuditRead } from "./access";
import { AUDIT_READ_EVENTS, auditedTrailRead } from "./audited-read";
import { conditions, DENIED_ERROR, filtersSchema, searchMatcher, whereClause, type AuditFilters, type Outcome } from "./filters";
import { scanMatching } from "./search-scan";

/** Rows beyond this are summed into `otherEvents`. */
export const MAX_SUMMARY_ROWS = 100;

export interface AuditSummaryRow {
  /** The caller's ARN, or the name an unauthenticated caller claimed, or the invoking service. */
  principal: string;
  outcome: Outcome;
  count: number;
  lastTime: string;
  /** The error codes seen (denied / failed rows). */
  errorCodes: string[];
}

export interface AuditSummary {
  rows: AuditSummaryRow[];
  total: number;
  /** Events in groups past MAX_SUMMARY_ROWS. */
  otherEvents: number;
  /**
   * A free-text search reads a bounded number of rows (search-scan.ts): when
   * older rows were left unread, the summary covers events back to this time (ISO).
   */
  searchedBackTo?: string;
}

export function auditSummary(caller: Principal, filters: AuditFilters = {}): Promise<AuditSummary> {
  return auditedTrailRead(AUDIT_READ_EVENTS.summary, caller, filters, () => summarize(caller, filters));
}

async function summarize(caller: Principal, filters: AuditFilters): Promise<AuditSummary> {
  authorizeAuditRead(caller);
  const f = validate(filtersSchema, filters);
  const where = await conditions(f);
  const matches = searchMatcher(f);
  const { rows, searchedBackTo } = matches ? await groupSearched(where, matches) : { rows: await groupInDatabase(where), searchedBackTo: undefined };
  const total = rows.reduce((n, r) => n + Number(r.count), 0);
  const shown = rows.slice(0, MAX_SUMMARY_ROWS);
  return {
    rows: shown.map((r) => ({
      principal: r.principal,
      outcome: r.outcome,
      count: Number(r.count),
      lastTime: new Date(r.last).toISOString(),
      errorCodes: (r.codes ?? []).slice(0, 10),
    })),
    total,
    otherEvents: total - shown.reduce((n, r) => n + r.count, 0),
    ...(searchedBackTo ? { searchedBackTo } : {}),
  };
}

type GroupRow = { principal: string; outcome: Outcome; count: number; last: Date; codes: string[] | null };

const outcomeOf = (errorCode: string | null): Outcome => (errorCode === null ? "allowed" : errorCode === DENIED_ERROR ? "denied" : "failed");
const OUTCOME_ORDER: Record<Outcome, number> = { denied: 0, failed: 1, allowed: 2 };

function groupInDatabase(where: Prisma.Sql[]): Promise<GroupRow[]> {
  return prisma.$queryRaw<GroupRow[]>`
    WITH e AS (
      SELECT COALESCE("principalArn", "userName", 'unknown') AS principal,
             CASE WHEN "errorCode" IS NULL THEN 'allowed' WHEN "errorCode" = ${DENIED_ERROR} THEN 'denied' ELSE 'failed' END AS outcome,
             "eventTime", "errorCode"
      FROM "AuditEvent" ${whereClause(where)}
    )
    SELECT principal, outcome, count(*)::int AS count, max("eventTime") AS last,
           array_agg(DISTINCT "errorCode") FILTER (WHERE "errorCode" IS NOT NULL) AS codes
    FROM e GROUP BY 1, 2
    ORDER BY CASE outcome WHEN 'denied' THEN 0 WHEN 'failed' THEN 1 ELSE 2 END, count(*) DESC, principal`;
}

/**
 * The same groups over decoded records, for a free-text search (the text is stored compressed),
 * over the newest rows one search request may read.
 */
async function groupSearched(where: Prisma.Sql[], matches: (text: string) => boolean): Promise<{ rows: GroupRow[]; searchedBackTo?: string }> {
  const groups = new Map<string, GroupRow>();
  const scan = await scanMatching(where, matches);
  for (const e of scan.rows) {
    const principal = e.principalArn ?? e.userName ?? "unknown";
    const outcome = outcomeOf(e.errorCode);
    const key = JSON.stringify([principal, outcome]);
    const g = groups.get(key) ?? { principal, outcome, count: 0, last: e.eventTime, codes: null };
    g.count += 1;
    if (e.eventTime > g.last) g.last = e.eventTime;
    if (e.errorCode && !g.codes?.includes(e.errorCode)) g.codes = [...(g.codes ?? []), e.errorCode].sort();
    groups.set(key, g);
  }
  const rows = [...groups.values()].sort(
    (a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || b.count - a.count || (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0),
  );
  return { rows, searchedBackTo: scan.stoppedAt?.time.toISOString() };
}
