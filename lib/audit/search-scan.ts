// The timeline's free-text search: the record text is stored compressed
// (lib/db/audit-record-codec.mjs), so rows matching the SQL filters are read newest first
// in batches, decoded here and kept when the text matches. A page stops
// after `limit` matches, as the ILIKE scan it replaces did; a search with few
// matches reads (and inflates, ~10 µs each) every row the other filters allow.
import { prisma, Prisma } from "@/lib/db/client";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

const BATCH = 500;

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

/** Rows satisfying `where` (SQL) and `matches` (decoded text), newest first, after the optional keyset cursor. */
export async function* scanMatching(where: Prisma.Sql[], matches: (text: string) => boolean, after?: { time: Date; id: bigint }): AsyncGenerator<ScannedRow> {
  let cursor = after;
  for (;;) {
    const conds = cursor ? [...where, Prisma.sql`("eventTime", id) < (${cursor.time}, ${cursor.id})`] : where;
    const rows = await prisma.$queryRaw<Array<Omit<ScannedRow, "text"> & { record: string | null; body: Uint8Array | null }>>`
      SELECT id, "chainId"::text AS "chainId", "chainSeq", encode(hash, 'hex') AS hash, "eventTime", "principalArn", "userName", "errorCode", record, body
      FROM "AuditEvent" ${conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, " AND ")}` : Prisma.empty}
      ORDER BY "eventTime" DESC, id DESC
      LIMIT ${BATCH}`;
    for (const { record, body, ...row } of rows) {
      const text = decodeRecord({ record, body });
      if (matches(text)) yield { ...row, text };
    }
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    cursor = { time: last.eventTime, id: last.id };
  }
}
