// The columns an audit row carries besides its hash-chain position: what the
// timeline's filters and indexes need, taken from the record once when it is
// written, and the record text itself, compressed (lib/db/audit-record-codec.mjs). Every
// writer of AuditEvent rows (writer.ts, fresh-chain.ts) builds them here.
import type { AuditRecord } from "./record";
import { encodeRecord } from "@/lib/db/audit-record-codec.mjs";

const KEY_ID = /:key\/([0-9a-f-]{36})$/;

export interface StoredColumns {
  eventId: string;
  eventTime: string; // ISO 8601, UTC
  eventSource: string;
  eventName: string;
  keyId: string | null;
  principalArn: string | null;
  userName: string | null;
  sourceIp: string;
  errorCode: string | null;
  readOnly: boolean;
  consoleView: boolean;
  /** The record text deflated (bytea): sent as a binary parameter, not as hex text. */
  body: Buffer;
}

/**
 * A console page read: flagged since the flag exists; events from before it
 * are recognised by shape (the migration applies the same test to old rows).
 */
export function isStoredConsoleView(r: AuditRecord): boolean {
  if (!r.readOnly) return false;
  const extra = r.additionalEventData;
  if (extra?.consoleView === true) return true;
  return extra?.via === "console" && (r.eventSource === "cloudtrail.amazonaws.com" || /^(Describe|List|Get)/.test(r.eventName));
}

export function storedColumns(r: AuditRecord, text: string): StoredColumns {
  const keyArn = r.resources?.[0]?.ARN;
  const principalArn = r.userIdentity.arn ?? null;
  return {
    eventId: r.eventID,
    eventTime: r.eventTime,
    eventSource: r.eventSource,
    eventName: r.eventName,
    keyId: (keyArn && KEY_ID.exec(keyArn)?.[1]) || null,
    principalArn,
    userName: principalArn ? null : (r.userIdentity.userName ?? r.userIdentity.invokedBy ?? null),
    sourceIp: r.sourceIPAddress,
    errorCode: r.errorCode ?? null,
    readOnly: r.readOnly,
    consoleView: isStoredConsoleView(r),
    body: encodeRecord(text, r.eventID),
  };
}
