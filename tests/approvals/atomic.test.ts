// No approval without its event: with the audit table refusing inserts, a
// held call (its request), a decision (and the execution it triggers), a rule
// change and an expiry each answer KMSInternalException and change nothing
// (a logical dump of every table is identical before and after).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApprovalRequest, expireDueRequests, invokeKmsWithApproval, updateApprovalRule } from "@/lib/approvals";
import { auditWriter } from "@/lib/audit/writer";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { rejection, rootKey } from "../policy/fixtures";

const PASSWORD = "atomic approvals password";
let alice: Principal, bob: Principal;

beforeAll(async () => {
  [alice, bob] = await Promise.all([1, 2].map(async () => (await makeUser("ADMINISTRATOR", { password: PASSWORD })).principal));
  await makeUser("ADMINISTRATOR", { password: PASSWORD });
});

afterAll(async () => {
  await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS audit_unwritable ON "AuditEvent"`);
  await prisma.approvalRule.deleteMany();
});

async function logicalDump(): Promise<string> {
  const tables = await prisma.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<Array<{ rows: string | null }>>(`SELECT string_agg(t::text, E'\\n' ORDER BY t::text) AS rows FROM "${name}" t`);
    parts.push(`-- ${name}\n${row?.rows ?? ""}`);
  }
  return parts.join("\n");
}

async function changesNothing(label: string, attempt: () => Promise<unknown>) {
  await auditWriter().digest();
  await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit table is read-only'; END $$`);
  await prisma.$executeRawUnsafe(`CREATE TRIGGER audit_unwritable BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_refuse()`);
  try {
    const before = await logicalDump();
    const error = await attempt().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name, label).toBe("KMSInternalException");
    expect(await logicalDump(), `${label}: nothing changed`).toBe(before);
  } finally {
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS audit_unwritable ON "AuditEvent"`);
  }
}

describe("approvals commit with their events", () => {
  it("a held call, a decision that executes, a rule change and an expiry", async () => {
    await updateApprovalRule(await operator(), { operation: "ScheduleKeyDeletion", approvals: 1 });
    const key = await rootKey();
    const input = { KeyId: key.id, PendingWindowInDays: 7 };
    await changesNothing("held ScheduleKeyDeletion", () => invokeKmsWithApproval("ScheduleKeyDeletion", alice, input, { source: "api" }));

    const held = await rejection(invokeKmsWithApproval("ScheduleKeyDeletion", alice, input, { source: "api" }));
    const requestId = held.message.match(/Approval request ([0-9a-f-]{36})/)![1]!;
    const approve = () => decideApprovalRequest(bob, { requestId, decision: "approve", reason: "ok", password: PASSWORD });
    await changesNothing("ApproveApprovalRequest (executing)", approve);
    await changesNothing("UpdateApprovalRule (held)", () => updateApprovalRule(alice, { operation: "DisableKey", approvals: 1 }));

    await prisma.approvalRequest.update({ where: { id: requestId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await changesNothing("ExpireApprovalRequest", () => expireDueRequests());
    expect(await expireDueRequests()).toBe(1);
  });
});
