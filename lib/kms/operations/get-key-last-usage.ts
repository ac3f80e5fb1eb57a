// GetKeyLastUsage: when a key last did cryptographic work, read from the audit
// trail (every call is recorded there before it answers, so the trail is
// authoritative): the latest successful call among AWS's tracked operations
// that used the key, with its CloudTrail event ID and request ID.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";
import { auditRowsContaining } from "@/lib/db/audit-records";
import { prisma } from "@/lib/db/client";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { resolveKey } from "../resolve";
import { keyIdField, validateRequest } from "../validate";

/** The model's KeyLastUsageTrackingOperation enum. */
export const TRACKED_OPERATIONS = [
  "Decrypt",
  "DeriveSharedSecret",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateMac",
  "ReEncrypt",
  "Sign",
  "Verify",
  "VerifyMac",
] as const;

const EVENT_SOURCE = "kms.amazonaws.com";

const schema = z.object({ KeyId: keyIdField });

interface KeyLastUsage {
  Operation: string;
  Timestamp: Date;
  CloudTrailEventId: string;
  KmsRequestId: string;
}

type EventRow = { eventId: string; eventTime: Date; eventName: string; record: string };
const select = { eventId: true, eventTime: true, eventName: true, record: true, body: true } as const;

/** The latest successful tracked call whose first resource is the key (the indexed keyId column). */
async function latestByKeyColumn(keyId: string): Promise<EventRow | null> {
  const row = await prisma.auditEvent.findFirst({
    where: { keyId, eventSource: EVENT_SOURCE, eventName: { in: [...TRACKED_OPERATIONS] }, errorCode: null },
    orderBy: [{ eventTime: "desc" }, { id: "desc" }],
    select,
  });
  return row && { eventId: row.eventId, eventTime: row.eventTime, eventName: row.eventName, record: decodeRecord(row) };
}

/**
 * ReEncrypt uses two keys but the keyId column holds only the first resource,
 * so a later ReEncrypt naming this key second is looked up by its ARN in the
 * record, only among events newer than the other candidate.
 */
async function latestReEncryptNaming(keyId: string, arn: string, after: Date | undefined): Promise<EventRow | null> {
  const [row] = await auditRowsContaining(
    { eventName: "ReEncrypt", eventSource: EVENT_SOURCE, errorCode: null, NOT: { keyId }, ...(after ? { eventTime: { gt: after } } : {}) },
    JSON.stringify(arn),
  );
  return row ?? null;
}

function usageOf(row: EventRow): KeyLastUsage {
  const record = JSON.parse(row.record) as { requestID?: string };
  return {
    Operation: row.eventName,
    Timestamp: row.eventTime,
    CloudTrailEventId: row.eventId,
    KmsRequestId: record.requestID ?? "",
  };
}

export async function getKeyLastUsage(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; KeyLastUsage?: KeyLastUsage; TrackingStartDate: Date; KeyCreationDate: Date }> {
  assertCallerActive(caller, "kms:GetKeyLastUsage");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:GetKeyLastUsage", ctx, key);
  const arn = ctx.keyArn(key.id);
  const byColumn = await latestByKeyColumn(key.id);
  const byReEncrypt = await latestReEncryptNaming(key.id, arn, byColumn?.eventTime);
  const last = byReEncrypt ?? byColumn;
  // Tracking covers the key's whole life, unless the trail itself began later
  // (e.g. a database restored without its earlier events).
  const trailStart = await prisma.auditEvent.findFirst({ orderBy: { eventTime: "asc" }, select: { eventTime: true } });
  const trackingStart = trailStart && trailStart.eventTime > key.createdAt ? trailStart.eventTime : key.createdAt;
  return {
    KeyId: arn,
    ...(last ? { KeyLastUsage: usageOf(last) } : {}),
    TrackingStartDate: trackingStart,
    KeyCreationDate: key.createdAt,
  };
}
