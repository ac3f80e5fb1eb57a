// Finding audit rows by a string inside their record text, for the few
// lookups that need more than the indexed columns (GetKeyLastUsage's second
// ReEncrypt key, the bootstrap access key's deletion). The text is stored
// compressed (audit-record-codec.mjs), so candidates selected by `where`
// are read newest first in batches and decoded here.
import { prisma, type Prisma } from "./client";
import { decodeRecord } from "./audit-record-codec.mjs";

const BATCH = 500;

export interface ContainingRow {
  id: bigint;
  eventId: string;
  eventTime: Date;
  eventName: string;
  /** The decoded record text. */
  record: string;
}

/** The newest rows satisfying `where` whose record text contains `needle` (case-sensitive, as Prisma's `contains`). */
export async function auditRowsContaining(where: Prisma.AuditEventWhereInput, needle: string, take = 1): Promise<ContainingRow[]> {
  const found: ContainingRow[] = [];
  let cursor: bigint | undefined;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: cursor === undefined ? where : { AND: [where, { id: { lt: cursor } }] },
      orderBy: { id: "desc" },
      take: BATCH,
      select: { id: true, eventId: true, eventTime: true, eventName: true, record: true, body: true },
    });
    for (const { body, record, ...row } of rows) {
      const text = decodeRecord({ record, body, eventId: row.eventId });
      if (text.includes(needle)) found.push({ ...row, record: text });
      if (found.length >= take) return found;
    }
    if (rows.length < BATCH) return found;
    cursor = rows[rows.length - 1]!.id;
  }
}
