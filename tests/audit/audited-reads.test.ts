// Reading the audit trail is itself audited: every read — allowed, denied or
// invalid — is exactly one read-only, CloudTrail-shaped event.
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_TRAIL_EVENT_SOURCE } from "@/lib/audit/audited-read";
import { exportAuditEvents } from "@/lib/audit/export";
import { auditSigningPublicKeysPem } from "@/lib/audit/public-key";
import { auditEventById, auditEventNames, auditUsage, queryAuditEvents } from "@/lib/audit/query";
import type { AuditRecord } from "@/lib/audit/record";
import { verifyAuditTrailAs } from "@/lib/audit/verify";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type Role } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { runOperatorCommand } from "@/lib/operator/commands";
import { makeUser } from "../helpers";
import { auditEvents } from "../support/audit-rows";

let keyId: string;
let someEventId: string;
const from = new Date(Date.now() - 3_600_000);
const to = new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  const { principal: admin } = await makeUser("ADMINISTRATOR");
  const created = (await invokeKms("CreateKey", admin, { Description: "audited reads" }, { source: "console" })) as { KeyMetadata: { KeyId: string } };
  keyId = created.KeyMetadata.KeyId;
  // Read straight from the table: the test's fixtures must not be audited reads themselves.
  someEventId = (await prisma.auditEvent.findFirstOrThrow({ where: { keyId }, select: { eventId: true } })).eventId;
});

/** Everything `caller` is on record for, oldest first (each test has its own user, so: its calls). */
async function recordsOf(caller: Principal): Promise<Array<{ keyId: string | null; record: AuditRecord }>> {
  const rows = await auditEvents({ where: { principalArn: caller.arn }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ keyId: r.keyId, record: JSON.parse(r.record) as AuditRecord }));
}

async function freshUser(role: Role): Promise<Principal> {
  const { principal } = await makeUser(role);
  return { ...principal, sourceIp: "192.0.2.61", userAgent: "audited-reads-test" };
}

interface TrailRead {
  eventName: string;
  call(caller: Principal): Promise<unknown>;
  /**
   * The requestParameters the event must carry (dates as ISO text, as
   * sanitize writes them); a function, as the fixtures exist only once
   * beforeAll has run.
   */
  requestParameters(): unknown;
  /** What the read records of its answer: nothing, except a verification's verdict. */
  responseElements?: unknown;
}

const reads: TrailRead[] = [
  {
    eventName: "LookupEvents",
    call: (p) => queryAuditEvents(p, { keyId, eventName: "CreateKey", errorsOnly: false }, { limit: 10 }),
    requestParameters: () => ({ keyId, eventName: "CreateKey", errorsOnly: false, limit: 10 }),
  },
  { eventName: "GetAuditEvent", call: (p) => auditEventById(p, someEventId), requestParameters: () => ({ eventId: someEventId }) },
  {
    eventName: "GetAuditUsage",
    call: (p) => auditUsage(p, { keyId, bucket: "hour", from, to }),
    requestParameters: () => ({ keyId, bucket: "hour", from: from.toISOString(), to: to.toISOString() }),
  },
  { eventName: "ListAuditEventNames", call: (p) => auditEventNames(p), requestParameters: () => null },
  {
    eventName: "ExportAuditEvents",
    // Consuming the whole file: streaming must not add events of its own.
    call: async (p) => {
      for await (const chunk of (await exportAuditEvents(p, { from, to, format: "csv" })).chunks) void chunk;
    },
    requestParameters: () => ({ from: from.toISOString(), to: to.toISOString(), format: "csv" }),
  },
  {
    eventName: "VerifyAuditChain",
    call: (p) => verifyAuditTrailAs(p),
    requestParameters: () => null,
    // The verdict only (alert rules watch for ok=false), never the events read.
    responseElements: { ok: true, events: expect.any(Number) },
  },
  { eventName: "GetAuditSigningPublicKey", call: (p) => auditSigningPublicKeysPem(p), requestParameters: () => null },
];

describe.each(reads.map((r) => [r.eventName, r] as const))("%s", (eventName, read) => {
  it("is recorded as exactly one read-only event with its parameters, naming no key", async () => {
    const auditor = await freshUser("AUDITOR");
    await read.call(auditor);
    const events = await recordsOf(auditor);
    expect(events).toHaveLength(1);
    const [{ keyId: rowKeyId, record }] = events as [(typeof events)[number]];
    expect(record).toMatchObject({
      eventVersion: "1.08",
      eventSource: AUDIT_TRAIL_EVENT_SOURCE,
      eventName,
      eventType: "AwsApiCall",
      readOnly: true,
      // The events read are never copied into the trail.
      responseElements: read.responseElements ?? null,
      requestParameters: read.requestParameters(),
      userIdentity: { type: "IAMUser", arn: auditor.arn, userName: auditor.username },
      sourceIPAddress: "192.0.2.61",
      userAgent: "audited-reads-test",
      additionalEventData: { via: "console" },
    });
    expect(record.errorCode).toBeUndefined();
    // A filter naming a key is not a use of the key: the key's activity stays its own.
    expect(record.resources).toBeUndefined();
    expect(rowKeyId).toBeNull();
  });

  it("is recorded as exactly one AccessDeniedException event when a key user tries it", async () => {
    const keyUser = await freshUser("KEY_USER");
    await expect(read.call(keyUser)).rejects.toMatchObject({ name: "AccessDeniedException" });
    const events = await recordsOf(keyUser);
    expect(events).toHaveLength(1);
    expect(events[0]!.record).toMatchObject({
      eventSource: AUDIT_TRAIL_EVENT_SOURCE,
      eventName,
      readOnly: true,
      errorCode: "AccessDeniedException",
      requestParameters: read.requestParameters(),
      userIdentity: { arn: keyUser.arn },
    });
  });
});

describe("audited reads", () => {
  it("records a read refused for bad input, with what was asked", async () => {
    const auditor = await freshUser("AUDITOR");
    await expect(queryAuditEvents(auditor, { keyId: "not-a-key" })).rejects.toMatchObject({ name: "ValidationException" });
    const events = await recordsOf(auditor);
    expect(events.map((e) => [e.record.eventName, e.record.errorCode, e.record.requestParameters])).toEqual([
      ["LookupEvents", "ValidationException", { keyId: "not-a-key" }],
    ]);
  });

  it("keeps reads out of a key's own activity", async () => {
    const auditor = await freshUser("AUDITOR");
    const before = await prisma.auditEvent.count({ where: { keyId } });
    const page = await queryAuditEvents(auditor, { keyId });
    await auditUsage(auditor, { keyId, bucket: "hour", from, to });
    expect(page.events.map((e) => e.record.eventName)).toEqual(["CreateKey"]);
    expect(await prisma.auditEvent.count({ where: { keyId } })).toBe(before);
    expect((await queryAuditEvents(auditor, { keyId })).events.map((e) => e.record.eventName)).toEqual(["CreateKey"]);
    expect((await recordsOf(auditor)).map((e) => e.record.eventName)).toEqual(["LookupEvents", "GetAuditUsage", "LookupEvents"]);
  });

  it("records `keyhold audit verify` (the operator command, through the socket or directly) as the account root", async () => {
    const since = new Date(Date.now() - 1);
    const report = (await runOperatorCommand("audit.verify", {})) as { ok: boolean };
    expect(report.ok).toBe(true);
    const rows = await auditEvents({ where: { eventName: "VerifyAuditChain", eventTime: { gte: since } } });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.record)).toMatchObject({
      eventSource: AUDIT_TRAIL_EVENT_SOURCE,
      readOnly: true,
      userIdentity: { type: "Root" },
      sourceIPAddress: "localhost",
      userAgent: "keyhold-cli",
      additionalEventData: { via: "cli" },
    });
  });
});
