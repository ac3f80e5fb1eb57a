// Exporting the audit trail for a time range, streamed page by page:
// - JSONL, verifiable outside Keyhold (scripts/verify-audit-export.mjs): one
//   line per event in chain order with its hashes and the exact record that
//   was hashed, then the signed digests of the chains involved, then the
//   audit-signing public keys;
// - CSV, for spreadsheets: one row per event in time order.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { validate } from "@/lib/access/validate";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";
import { prisma, Prisma } from "@/lib/db/client";
import { authorizeAuditRead } from "./access";
import { AUDIT_READ_EVENTS, auditedTrailRead } from "./audited-read";
import { genesisHash } from "./chain";
import type { AuditRecord } from "./record";
import { auditPublicKeys } from "./signing-key";

export const EXPORT_PAGE = 1000;
export const EXPORT_FORMATS = ["jsonl", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const date = z.coerce.date({ error: "must be a date and time (ISO 8601)" });

const exportSchema = z
  .object({
    from: date,
    to: date,
    format: z.enum(EXPORT_FORMATS, { error: "format must be jsonl or csv" }),
  })
  .strict()
  .refine((r) => r.from.getTime() <= r.to.getTime(), { message: "from must not be after to" });

export type ExportInput = z.input<typeof exportSchema>;

export interface AuditExport {
  format: ExportFormat;
  fileName: string;
  /** How many events the range holds (for download progress). */
  count: number;
  /** The file, read from the database lazily as it is consumed. */
  chunks: AsyncIterable<string>;
}

/**
 * Authorizes, validates and counts before anything is streamed (so a route
 * can still answer 403/400 as JSON), all as one audited call,
 * ExportAuditEvents, whose requestParameters are the range and format.
 */
export function exportAuditEvents(caller: Principal, input: ExportInput): Promise<AuditExport> {
  return auditedTrailRead(AUDIT_READ_EVENTS.export, caller, input, () => prepareExport(caller, input));
}

async function prepareExport(caller: Principal, input: ExportInput): Promise<AuditExport> {
  authorizeAuditRead(caller, "keyhold:ExportAuditTrail");
  const { from, to, format } = validate(exportSchema, input);
  const count = await prisma.auditEvent.count({ where: { eventTime: { gte: from, lte: to } } });
  return {
    format,
    fileName: exportFileName({ from, to, format }),
    count,
    chunks: format === "csv" ? csvChunks(from, to) : jsonlChunks(from, to),
  };
}

export function exportFileName(input: { from: Date | string; to: Date | string; format: ExportFormat }): string {
  const stamp = (d: Date | string) => new Date(d).toISOString().replace(/[:.]/g, "").replace(/\d{3}Z$/, "Z");
  return `keyhold-audit-${stamp(input.from)}-${stamp(input.to)}.${input.format}`;
}

interface ChainSpan {
  chainId: string;
  minSeq: number;
  maxSeq: number;
}

/**
 * The chains with events in the range and, for each, the contiguous run of
 * sequence numbers that covers them (so the export has no gaps even where
 * event times and chain order disagree by a millisecond).
 */
async function chainSpans(from: Date, to: Date): Promise<ChainSpan[]> {
  const rows = await prisma.$queryRaw<Array<{ chainId: string; minSeq: number; maxSeq: number }>>`
    SELECT "chainId"::text AS "chainId", min("chainSeq")::int AS "minSeq", max("chainSeq")::int AS "maxSeq"
    FROM "AuditEvent" WHERE "eventTime" >= ${from} AND "eventTime" <= ${to}
    GROUP BY "chainId" ORDER BY "chainId"`;
  return rows.map((r) => ({ chainId: r.chainId, minSeq: Number(r.minSeq), maxSeq: Number(r.maxSeq) }));
}

/**
 * The hash event #seq follows: the genesis hash for #1, else the stored hash
 * of the event before it, or (purged under retention) the signed digest at
 * the purge point. "" when neither exists: the verifier then reports the gap.
 */
async function hashBefore(chainId: string, seq: number): Promise<string> {
  if (seq === 1) return genesisHash(chainId);
  const row = await prisma.auditEvent.findUnique({ where: { chainId_chainSeq: { chainId, chainSeq: seq - 1 } }, select: { hash: true } });
  if (row) return Buffer.from(row.hash).toString("hex");
  const digest = await prisma.auditDigest.findFirst({ where: { chainId, lastSeq: seq - 1 }, select: { lastHash: true } });
  return digest?.lastHash ?? "";
}

/** The span's events in chain order, each with the hash it follows (the previous event's, not stored twice). */
async function* chainEvents(span: ChainSpan) {
  let after = span.minSeq - 1;
  let prevHash = await hashBefore(span.chainId, span.minSeq);
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: { chainId: span.chainId, chainSeq: { gt: after, lte: span.maxSeq } },
      orderBy: { chainSeq: "asc" },
      take: EXPORT_PAGE,
      select: { chainSeq: true, eventId: true, hash: true, record: true, body: true },
    });
    if (rows.length) {
      yield rows.map((r) => {
        const linked = { ...r, hash: Buffer.from(r.hash).toString("hex"), prevHash };
        prevHash = linked.hash;
        return linked;
      });
    }
    if (rows.length < EXPORT_PAGE) return;
    after = rows[rows.length - 1]!.chainSeq;
  }
}

/** The digests that speak for a span: those ending inside it, and the next one after it. */
async function spanDigests(span: ChainSpan) {
  const inside = await prisma.auditDigest.findMany({
    where: { chainId: span.chainId, lastSeq: { gte: span.minSeq, lte: span.maxSeq } },
    orderBy: [{ lastSeq: "asc" }, { id: "asc" }],
  });
  const next = await prisma.auditDigest.findFirst({
    where: { chainId: span.chainId, lastSeq: { gt: span.maxSeq } },
    orderBy: [{ lastSeq: "asc" }, { id: "asc" }],
  });
  return next ? [...inside, next] : inside;
}

async function* jsonlChunks(from: Date, to: Date): AsyncGenerator<string> {
  const spans = await chainSpans(from, to);
  for (const span of spans) {
    const chainId = JSON.stringify(span.chainId);
    for await (const rows of chainEvents(span)) {
      // The record is embedded as the exact text that was hashed.
      yield rows
        .map((r) => `{"chainId":${chainId},"chainSeq":${r.chainSeq},"prevHash":${JSON.stringify(r.prevHash)},"hash":${JSON.stringify(r.hash)},"record":${decodeRecord(r)}}\n`)
        .join("");
    }
  }
  for (const span of spans) {
    const digests = await spanDigests(span);
    if (!digests.length) continue;
    yield digests
      .map(
        (d) =>
          `${JSON.stringify({
            digest: {
              id: d.id.toString(),
              chainId: d.chainId,
              lastSeq: d.lastSeq,
              lastHash: d.lastHash,
              prevSignature: d.prevSignature,
              createdAt: d.createdAt.toISOString(),
              signingKeyId: d.signingKeyId,
              signature: d.signature,
            },
          })}\n`,
      )
      .join("");
  }
  yield `${JSON.stringify({ publicKeys: await auditPublicKeys() })}\n`;
}

export const CSV_COLUMNS = [
  "eventTime",
  "eventName",
  "eventSource",
  "userName",
  "userArn",
  "sourceIPAddress",
  "errorCode",
  "keyId",
  "readOnly",
  "eventID",
  "chainId",
  "chainSeq",
  "hash",
] as const;

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a
 * formula (= + - @ at the start, e.g. a username someone typed at sign-in)
 * is prefixed with an apostrophe.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

const KEY_ID = /:key\/([0-9a-f-]{36})$/;

function csvRow(r: { chainId: string; chainSeq: number; hash: string; eventId: string; record: string | null; body: Uint8Array | null }): string {
  let rec: Partial<AuditRecord>;
  try {
    rec = JSON.parse(decodeRecord(r)) as AuditRecord;
  } catch {
    rec = {}; // a damaged row still appears, with its chain position and hash
  }
  const keyArn = rec.resources?.[0]?.ARN;
  return [
    rec.eventTime,
    rec.eventName,
    rec.eventSource,
    rec.userIdentity?.userName,
    rec.userIdentity?.arn,
    rec.sourceIPAddress,
    rec.errorCode,
    (keyArn && KEY_ID.exec(keyArn)?.[1]) || "",
    rec.readOnly,
    rec.eventID,
    r.chainId,
    r.chainSeq,
    r.hash,
  ]
    .map(csvField)
    .join(",");
}

async function* csvChunks(from: Date, to: Date): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(",")}\r\n`;
  let after: { time: Date; id: bigint } | undefined;
  for (;;) {
    const rows = await prisma.$queryRaw<Array<{ id: bigint; eventTime: Date; chainId: string; chainSeq: number; hash: string; eventId: string; record: string | null; body: Uint8Array | null }>>`
      SELECT id, "eventTime", "chainId"::text AS "chainId", "chainSeq", encode(hash, 'hex') AS hash, "eventId"::text AS "eventId", record, body
      FROM "AuditEvent"
      WHERE "eventTime" >= ${from} AND "eventTime" <= ${to}
        ${after ? Prisma.sql`AND ("eventTime", id) > (${after.time}, ${after.id})` : Prisma.empty}
      ORDER BY "eventTime" ASC, id ASC
      LIMIT ${EXPORT_PAGE}`;
    if (rows.length) yield rows.map((r) => `${csvRow(r)}\r\n`).join("");
    if (rows.length < EXPORT_PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { time: last.eventTime, id: last.id };
  }
}
