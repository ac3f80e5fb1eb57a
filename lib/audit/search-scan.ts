// The timeline's free-text search: the record text is stored compressed
// (lib/db/audit-record-codec.mjs), so rows matching the SQL filters are read newest first
// in batches, decoded here and kept when the text matches. Inflating costs
// ~10 µs a row, so a rare string over a million events would take 10–20 s:
// one request reads at most `maxRows` rows and says where it stopped, and the
// caller continues from there on request ("search further"). The budget is
// rows and time, whichever runs out first: on a saturated host inflating is
// ×20 slower, and a request must still come back in well under a second.
import { prisma, Prisma } from "@/lib/db/client";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

const BATCH = 500;
/** Rows one search request decodes at most (~0.2–0.4 s of inflating on a quiet host). */
export const SEARCH_SCAN_ROWS = 20_000;
/** Time one search request reads for at most (checked between batches: the first batch always runs). */
export const SEARCH_SCAN_MS = 500;

export interface ScannedRow {
  id: bigint;
  chainId: string;
  chainSeq: number;
  hash: string;
  eventTime: Date;
  principalArn: string | null;
  userName: string | null;
  errorCode: string | null;
  /** The decoded record text. */
  text: string;
}

export interface ScanPosition {
  time: Date;
  id: bigint;
}

export interface ScanResult {
  /** Matching rows, newest first. */
  rows: ScannedRow[];
  /** Set when the row budget ran out with older rows unread: the last row read (continue after it). */
  stoppedAt?: ScanPosition;
}

export interface ScanOptions {
  /** Continue after this keyset position (exclusive). */
  after?: ScanPosition;
  /** Stop once this many rows matched. */
  limit?: number;
  /** Read at most this many rows (matching or not). */
  maxRows?: number;
  /** Start no new batch after this many milliseconds. */
  maxMs?: number;
}

/** Rows satisfying `where` (SQL) and `matches` (decoded text), newest first, within a row budget. */
export async function scanMatching(where: Prisma.Sql[], matches: (text: string) => boolean, options: ScanOptions = {}): Promise<ScanResult> {
  const { limit = Infinity, maxRows = SEARCH_SCAN_ROWS, maxMs = SEARCH_SCAN_MS } = options;
  const started = performance.now();
  const found: ScannedRow[] = [];
  let cursor = options.after;
  let read = 0;
  for (;;) {
    const take = Math.min(BATCH, maxRows - read);
    const conds = cursor ? [...where, Prisma.sql`("eventTime", id) < (${cursor.time}, ${cursor.id})`] : where;
    const rows = await prisma.$queryRaw<Array<Omit<ScannedRow, "text"> & { eventId: string; record: string | null; body: Uint8Array | null }>>`
      SELECT id, "chainId"::text AS "chainId", "chainSeq", encode(hash, 'hex') AS hash, "eventTime", "principalArn", "userName", "errorCode", "eventId"::text AS "eventId", record, body
      FROM "AuditEvent" ${conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, " AND ")}` : Prisma.empty}
      ORDER BY "eventTime" DESC, id DESC
      LIMIT ${take}`;
    for (const { record, body, eventId, ...row } of rows) {
      const text = decodeRecord({ record, body, eventId });
      if (!matches(text)) continue;
      found.push({ ...row, text });
      if (found.length >= limit) return { rows: found };
    }
    read += rows.length;
    if (rows.length < take) return { rows: found };
    const last = rows[rows.length - 1]!;
    cursor = { time: last.eventTime, id: last.id };
    if (read >= maxRows || performance.now() - started >= maxMs) return { rows: found, stoppedAt: cursor };
  }
}
