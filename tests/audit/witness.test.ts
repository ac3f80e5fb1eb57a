// The unsigned tail: events committed after the last signed digest (as after
// a crash) are vouched for by the signed head witnessed outside the database,
// so deleting them, or a whole chain with its digests, is detected.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "@/lib/audit/verify";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser } from "../helpers";

let admin: Principal;

/** A few events of this process's chain after its last digest: the unsigned tail. */
async function unsignedTail() {
  for (let i = 0; i < 3; i++) await invokeKms("ListKeys", admin, {}, { source: "api", requestId: randomUUID() });
  const last = await prisma.auditEvent.findFirstOrThrow({ where: { principalArn: admin.arn }, orderBy: { id: "desc" } });
  const digested = await prisma.auditDigest.findFirst({ where: { chainId: last.chainId }, orderBy: { lastSeq: "desc" } });
  const rows = await prisma.auditEvent.findMany({
    where: { chainId: last.chainId, chainSeq: { gt: digested?.lastSeq ?? 0 } },
    orderBy: { chainSeq: "asc" },
  });
  return { chainId: last.chainId, rows };
}

beforeAll(async () => {
  admin = (await makeUser("ADMINISTRATOR")).principal;
});

describe("the unsigned tail of a chain", () => {
  it("starts intact", async () => {
    await unsignedTail();
    expect((await verifyAuditTrail()).firstProblem).toBeUndefined();
  });

  it("detects the last events deleted before any digest covered them", async () => {
    const { chainId, rows } = await unsignedTail();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const removed = rows.slice(-2);
    await prisma.auditEvent.deleteMany({ where: { id: { in: removed.map((r) => r.id) } } });
    try {
      const report = await verifyAuditTrail();
      expect(report.ok).toBe(false);
      expect(report.firstProblem).toMatchObject({ chainId, kind: "truncated", chainSeq: removed[0]!.chainSeq });
    } finally {
      await prisma.auditEvent.createMany({ data: removed });
    }
    expect((await verifyAuditTrail()).ok).toBe(true);
  });

  it("detects a whole chain deleted with its digests", async () => {
    const { chainId } = await unsignedTail();
    const chain = await prisma.auditChain.findUniqueOrThrow({ where: { id: chainId } });
    const events = await prisma.auditEvent.findMany({ where: { chainId }, orderBy: { chainSeq: "asc" } });
    const digests = await prisma.auditDigest.findMany({ where: { chainId } });
    await prisma.$transaction([
      prisma.auditEvent.deleteMany({ where: { chainId } }),
      prisma.auditDigest.deleteMany({ where: { chainId } }),
      prisma.auditChain.delete({ where: { id: chainId } }),
    ]);
    try {
      const report = await verifyAuditTrail();
      expect(report.ok).toBe(false);
      expect(report.chains.find((c) => c.chainId === chainId)?.problem).toMatchObject({ kind: "truncated" });
    } finally {
      await prisma.auditChain.create({ data: chain });
      await prisma.auditEvent.createMany({ data: events });
      await prisma.auditDigest.createMany({ data: digests });
    }
    expect((await verifyAuditTrail()).ok).toBe(true);
  });

  it("still verifies the events of a chain whose chain row is gone (found through the index, among the other chains)", async () => {
    const { chainId } = await unsignedTail();
    const chain = await prisma.auditChain.findUniqueOrThrow({ where: { id: chainId } });
    const chainsWithEvents = (await prisma.auditEvent.groupBy({ by: ["chainId"] })).map((c) => c.chainId);
    await prisma.auditChain.delete({ where: { id: chainId } });
    try {
      const report = await verifyAuditTrail();
      expect(report.chains.filter((c) => c.chainId === chainId)).toHaveLength(1);
      expect(report.chains.map((c) => c.chainId)).toEqual(expect.arrayContaining(chainsWithEvents));
    } finally {
      await prisma.auditChain.create({ data: chain });
    }
    expect((await verifyAuditTrail()).ok).toBe(true);
  });
});
