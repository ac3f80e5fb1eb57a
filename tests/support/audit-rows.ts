// Audit rows as tests read them: the record text decoded (it is stored
// compressed, lib/db/audit-record-codec.mjs), optionally only rows whose
// text contains a string (what `record: { contains }` did on plain text).
import { decodeRecord, encodeRecord } from "@/lib/db/audit-record-codec.mjs";
import { prisma, type AuditEvent, type Prisma } from "@/lib/db/client";

export type DecodedAuditEvent = Omit<AuditEvent, "record"> & { record: string };

export async function auditEvents(args: Omit<Prisma.AuditEventFindManyArgs, "select"> = {}, contains?: string): Promise<DecodedAuditEvent[]> {
  const rows = await prisma.auditEvent.findMany(args);
  return rows.map((r) => ({ ...r, record: decodeRecord(r) })).filter((r) => contains === undefined || r.record.includes(contains));
}

export async function auditEvent(where: Prisma.AuditEventWhereInput, contains?: string): Promise<DecodedAuditEvent> {
  const [row] = await auditEvents({ where, orderBy: { id: "desc" } }, contains);
  if (!row) throw new Error(`no audit event matches ${JSON.stringify(where)}${contains ? ` containing ${contains}` : ""}`);
  return row;
}

/** Replaces a row's stored record text (as someone with database access could); returns how to undo it. */
export async function tamperRecord(id: bigint, text: string): Promise<() => Promise<void>> {
  const before = await prisma.auditEvent.findUniqueOrThrow({ where: { id }, select: { record: true, body: true } });
  await prisma.auditEvent.update({ where: { id }, data: before.body ? { body: storedBody(text) } : { record: text } });
  return async () => void (await prisma.auditEvent.update({ where: { id }, data: { record: before.record, body: before.body } }));
}

/** The stored form of a record text, for rows a test inserts itself. */
export const storedBody = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(encodeRecord(text));
