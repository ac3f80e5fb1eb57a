// Retention: purging old events up to each chain's signed digest keeps the
// rest verifiable, is itself recorded, and cannot be imitated by deleting rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeAuditEvents, purgeExpiredAuditEvents } from "@/lib/audit/retention";
import { verifyAuditTrail } from "@/lib/audit/verify";
import { auditWriter } from "@/lib/audit/writer";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser, operator } from "../helpers";
import { auditEvent } from "../support/audit-rows";

const DAY = 24 * 3600 * 1000;
let root: Principal;
let chainId: string;

beforeAll(async () => {
  root = await operator();
  const { KeyMetadata } = (await invokeKms("CreateKey", root, {}, { source: "cli" })) as { KeyMetadata: { KeyId: string } };
  for (let i = 0; i < 5; i++) await invokeKms("DescribeKey", root, { KeyId: KeyMetadata.KeyId }, { source: "cli" });
  await auditWriter().digest(); // a signed digest over everything so far
  const last = await prisma.auditEvent.findFirstOrThrow({ where: { eventName: "DescribeKey", principalArn: root.arn }, orderBy: { id: "desc" } });
  chainId = last.chainId;
  expect((await verifyAuditTrail()).ok).toBe(true);
});

afterAll(async () => {
  // Leave a trail later test files can verify: undo the tampering below.
  expect((await verifyAuditTrail()).ok).toBe(true);
});

describe("audit retention", () => {
  it("refuses a purge of the last 30 days, and anyone but an administrator", async () => {
    await expect(purgeAuditEvents(root, { before: new Date(Date.now() - 29 * DAY).toISOString() })).rejects.toMatchObject({ name: "ValidationException" });
    const auditor = (await makeUser("AUDITOR")).principal;
    await expect(purgeAuditEvents(auditor, { before: new Date(Date.now() - 400 * DAY).toISOString() })).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    const denied = await prisma.auditEvent.count({ where: { eventName: "PurgeAuditEvents", principalArn: auditor.arn, errorCode: "AccessDeniedException" } });
    expect(denied).toBe(1);
  });

  it("purges each chain up to its signed digest, records it, and the rest still verifies", async () => {
    const digest = await prisma.auditDigest.findFirstOrThrow({ where: { chainId }, orderBy: { lastSeq: "desc" } });
    // As if the retention period had passed for everything signed so far.
    const purged = await purgeExpiredAuditEvents(30, new Date(Date.now() + 31 * DAY));
    expect(purged).toBeGreaterThanOrEqual(digest.lastSeq);
    const chain = await prisma.auditChain.findUniqueOrThrow({ where: { id: chainId } });
    expect(chain.prunedThroughSeq).toBeGreaterThanOrEqual(digest.lastSeq);
    expect(await prisma.auditEvent.count({ where: { chainId, chainSeq: { lte: chain.prunedThroughSeq } } })).toBe(0);

    const record = await auditEvent({ eventName: "PurgeAuditEvents" }, chainId);
    expect(JSON.parse(record.record)).toMatchObject({
      eventType: "AwsServiceEvent",
      eventSource: "cloudtrail.amazonaws.com",
      requestParameters: { chainId, throughSeq: chain.prunedThroughSeq },
    });

    // New events continue the chain from where it was.
    await invokeKms("ListKeys", root, {}, { source: "cli" });
    const report = await verifyAuditTrail();
    expect(report.ok).toBe(true);
    expect(report.chains.find((c) => c.chainId === chainId)!.intactUpTo).toBeGreaterThan(chain.prunedThroughSeq);
  });

  it("tells a purge by anyone else (rows deleted, the mark forged) from Keyhold's own", async () => {
    const chain = await prisma.auditChain.findUniqueOrThrow({ where: { id: chainId } });
    await prisma.auditChain.update({ where: { id: chainId }, data: { prunedSignature: Buffer.alloc(64).toString("base64") } });
    try {
      const report = await verifyAuditTrail();
      expect(report.ok).toBe(false);
      expect(report.firstProblem).toMatchObject({ chainId, message: expect.stringContaining("without a signed purge") });
    } finally {
      await prisma.auditChain.update({ where: { id: chainId }, data: { prunedSignature: chain.prunedSignature } });
    }
    // Moving the mark forward over events that are still there (to hide a deletion) breaks the signature too.
    await prisma.auditChain.update({ where: { id: chainId }, data: { prunedThroughSeq: chain.prunedThroughSeq + 1 } });
    try {
      expect((await verifyAuditTrail()).ok).toBe(false);
    } finally {
      await prisma.auditChain.update({ where: { id: chainId }, data: { prunedThroughSeq: chain.prunedThroughSeq } });
    }
  });
});
