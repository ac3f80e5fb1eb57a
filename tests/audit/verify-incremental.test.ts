// Incremental chain verification: each run resumes from the last signed
// digest an earlier run verified (cached), reading only the events since;
// a full re-verification reads everything, with progress. A row tampered
// after a cached verification is found by the full run, and by the
// incremental one when the change touches rows it has not verified yet.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { auditWriter } from "@/lib/audit/writer";
import { queryAuditEvents } from "@/lib/audit/query";
import { auditVerificationProgress, verifyFullyAs, verifyIncrementallyAs } from "@/lib/audit/verify-cache";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser } from "../helpers";
import { auditEvent, tamperRecord } from "../support/audit-rows";

let admin: Principal;
let auditor: Principal;

async function someEvents(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await invokeKms("CreateKey", admin, { Description: `incremental ${i}` }, { source: "api" });
  await auditWriter().digest();
}

/** Changes a committed row's record (as someone with database access could) and returns how to undo it. */
async function tamper(where: { chainId: string; chainSeq: number }): Promise<() => Promise<void>> {
  const row = await auditEvent(where);
  const forged = row.record.replace(/"awsRegion":"[^"]*"/, '"awsRegion":"xx-forged-1"');
  expect(forged).not.toBe(row.record);
  return tamperRecord(row.id, forged);
}

const current = () => auditWriter().digest().then(() => prisma.auditDigest.findFirstOrThrow({ orderBy: { id: "desc" } }));

beforeAll(async () => {
  [admin, auditor] = (await Promise.all([makeUser("ADMINISTRATOR"), makeUser("AUDITOR")])).map((u) => u.principal);
  await someEvents(3);
});

describe("incremental verification", () => {
  it("resumes from the last verified digest and reads only the events since", async () => {
    const first = await verifyIncrementallyAs(auditor);
    expect(first).toMatchObject({ ok: true, mode: "incremental" });
    const digest = await current();
    await someEvents(2);
    const second = await verifyIncrementallyAs(auditor);
    expect(second.ok).toBe(true);
    const chain = second.chains.find((c) => c.chainId === digest.chainId)!;
    expect(chain.resumedFrom).toBeGreaterThanOrEqual(digest.lastSeq - 1);
    // Events before the anchor are vouched for, not read again.
    expect(second.eventsRead).toBeLessThan(second.events);
    expect(chain.events).toBe(chain.intactUpTo);
    const full = await verifyFullyAs(auditor);
    expect(full).toMatchObject({ ok: true, mode: "full" });
    expect(full.eventsRead).toBe(full.events);
    // Both are recorded as VerifyAuditChain with their mode and verdict.
    const events = (await queryAuditEvents(auditor, { eventName: "VerifyAuditChain", principal: auditor.arn })).events;
    expect(events.map((e) => (e.record.requestParameters as { mode: string }).mode)).toEqual(["full", "incremental", "incremental"]);
    expect(events[0]!.record.responseElements).toMatchObject({ ok: true, mode: "full" });
  });

  it("a row changed before the cached anchor: the full re-verification finds it, and the incremental one after that", async () => {
    await verifyIncrementallyAs(auditor); // caches an anchor past the fixtures
    const digest = await current();
    const restore = await tamper({ chainId: digest.chainId, chainSeq: 2 });
    try {
      // Incremental trusts what it verified before (the signed anchor): it does not re-read row #2.
      expect((await verifyIncrementallyAs(auditor)).ok).toBe(true);
      const full = await verifyFullyAs(auditor);
      expect(full.ok).toBe(false);
      expect(full.firstProblem).toMatchObject({ kind: "changed", chainSeq: 2, chainId: digest.chainId });
      // The failed chain lost its anchor: the next incremental run walks it from #1 and finds the change too.
      const again = await verifyIncrementallyAs(auditor);
      expect(again.firstProblem).toMatchObject({ kind: "changed", chainSeq: 2 });
    } finally {
      await restore();
    }
    expect((await verifyFullyAs(auditor)).ok).toBe(true);
  });

  it("a row changed after the cached anchor is found by the incremental run", async () => {
    await verifyIncrementallyAs(auditor);
    const anchor = await current();
    await someEvents(2);
    const restore = await tamper({ chainId: anchor.chainId, chainSeq: anchor.lastSeq + 2 });
    try {
      const r = await verifyIncrementallyAs(auditor);
      expect(r.ok).toBe(false);
      expect(r.firstProblem).toMatchObject({ kind: "changed", chainSeq: anchor.lastSeq + 2 });
    } finally {
      await restore();
    }
    expect((await verifyFullyAs(auditor)).ok).toBe(true);
  });
});

describe("full re-verification progress", () => {
  it("reports how far the caller's run got, to that caller only", async () => {
    const runId = randomUUID();
    const report = await verifyFullyAs(auditor, runId);
    const progress = await auditVerificationProgress(auditor, runId);
    expect(progress).toEqual({ read: report.eventsRead, total: progress.total, done: true });
    expect(progress.total).toBeGreaterThanOrEqual(progress.read);
    const { principal: other } = await makeUser("AUDITOR");
    await expect(auditVerificationProgress(other, runId)).rejects.toMatchObject({ name: "NotFoundException" });
    await expect(auditVerificationProgress(auditor, randomUUID())).rejects.toMatchObject({ name: "NotFoundException" });
    const { principal: keyUser } = await makeUser("KEY_USER");
    await expect(verifyFullyAs(keyUser)).rejects.toMatchObject({ name: "AccessDeniedException" });
  });
});
