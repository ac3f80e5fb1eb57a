// Root key migration and unseal-key rekey under quorum (lib/approvals/host-operations.ts): an
// administrator requests one in the console naming its target; the Mth approval makes the request
// `approved`; the CLI command refuses to run without `--approval` of an approved, unexpired, unused
// request for the same operation and target, and a run uses it once. Every refusal here happens
// before anything is touched (the run that succeeds, with a real migration, is
// tests/compat/root-key-migrate.test.ts).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expireDueRequests, listApprovalRequests, updateApprovalRule } from "@/lib/approvals";
import { hostRunApproval, requestHostOperation } from "@/lib/approvals/host-operations";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { runOperatorCommand } from "@/lib/operator/commands";
import { custodyStatusUnaudited } from "@/lib/kms/root-key-custody";
import { makeUser } from "../helpers";
import { rejection } from "../policy/fixtures";
import { auditEvents } from "../support/audit-rows";
import { administrators, decide, heldId, requireApprovals, retireAdministratorsAfterFile } from "./support";

let alice: Principal, bob: Principal, carol: Principal;
let storeKind: string;
retireAdministratorsAfterFile();
beforeAll(async () => {
  [alice, bob, carol] = await administrators(3);
  storeKind = (await custodyStatusUnaudited()).kind;
});
afterEach(async () => {
  await prisma.approvalRule.deleteMany();
});

const target = () => ({ to: storeKind === "shamir" ? "local" : "shamir", custodians: 5, threshold: 3 });
const migrate = (input: Record<string, unknown>) => runOperatorCommand("root-key.migrate", input);

/** A MigrateRootKey request approved by bob and carol (the requester alice is refused). */
async function approvedMigration(): Promise<string> {
  const id = await heldId(requestHostOperation(alice, "MigrateRootKey", target()));
  expect(await rejection(decide(alice, id, "approve"))).toMatchObject({ name: "AccessDeniedException" });
  expect(await decide(bob, id, "approve")).toMatchObject({ status: "pending" });
  expect(await decide(carol, id, "approve")).toMatchObject({ status: "approved", approvals: 2 });
  return id;
}

describe("root key custody under quorum", () => {
  it("without a rule there is nothing to request, and the CLI needs no approval", async () => {
    expect(await rejection(requestHostOperation(alice, "MigrateRootKey", target()))).toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("No approval rule protects MigrateRootKey"),
    });
    expect(await hostRunApproval("MigrateRootKey", target()).check()).toBeUndefined();
  });

  it("a request names its target, never runs on approval, and is refused to non-administrators and bad targets", async () => {
    await requireApprovals("MigrateRootKey", 2);
    const e = await rejection(requestHostOperation(alice, "MigrateRootKey", target()));
    const id = await heldId(Promise.reject(e));
    expect(e.message).toContain(`keyhold root-key migrate --to ${target().to} --custodians 5 --threshold 3 --approval ${id}`);
    const listed = (await listApprovalRequests(bob, { status: "pending" })).find((r) => r.id === id)!;
    expect(listed.summary).toMatchObject({ rootKeyStoreBefore: storeKind, rootKeyStoreAfter: target().to, custodiansAfter: 5, thresholdAfter: 3, newRootKey: true });
    expect(listed.input).toEqual(target());
    await decide(bob, id!, "approve");
    const decided = await decide(carol, id!, "approve");
    expect(decided).toMatchObject({ status: "approved" });
    expect(decided.execution).toBeUndefined();
    expect((await listApprovalRequests(bob, { status: "approved" })).map((r) => r.id)).toContain(id);
    expect((await custodyStatusUnaudited()).kind).toBe(storeKind); // nothing ran

    expect((await rejection(requestHostOperation(alice, "MigrateRootKey", { to: "floppy" }))).name).toBe("ValidationException");
    expect((await rejection(requestHostOperation(alice, "MigrateRootKey", { to: storeKind }))).message).toContain("already in the");
    const keyAdmin = await makeUser("KEY_ADMINISTRATOR");
    expect((await rejection(requestHostOperation(keyAdmin.principal, "MigrateRootKey", target()))).name).toBe("AccessDeniedException");
  });

  it("the CLI refuses without an approval, with a pending, other-operation, other-target or expired one; each refusal audited", async () => {
    await requireApprovals("MigrateRootKey", 2);
    await requireApprovals("RekeyRootKey", 1);
    expect(await rejection(migrate(target()))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("--approval <request-id>") });

    const pending = await heldId(requestHostOperation(alice, "MigrateRootKey", target()));
    expect(await rejection(migrate({ ...target(), approvalRequestId: pending }))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("is pending (0 of 2 approvals)") });
    await decide(bob, pending, "approve");
    expect(await rejection(migrate({ ...target(), approvalRequestId: pending }))).toMatchObject({ message: expect.stringContaining("is pending (1 of 2 approvals)") });

    // A request for another operation (a change of the approval policy is no root key migration).
    const other = await heldId(updateApprovalRule(alice, { operation: "DisableKey", approvals: 1 }));
    expect(await rejection(migrate({ ...target(), approvalRequestId: other }))).toMatchObject({ name: "AccessDeniedException", message: `Approval request ${other} is for UpdateApprovalRule, not MigrateRootKey.` });
    const approved = await approvedMigration();
    expect(await rejection(runOperatorCommand("root-key.rekey", { custodians: 5, threshold: 3, approvalRequestId: approved }))).toMatchObject({
      name: "AccessDeniedException",
      message: `Approval request ${approved} is for MigrateRootKey, not RekeyRootKey.`,
    });
    expect(await rejection(migrate({ ...target(), custodians: 4, approvalRequestId: approved }))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("any 3 of 5 custodians") });
    expect(await rejection(migrate({ ...target(), approvalRequestId: "not-an-id" }))).toMatchObject({ name: "ValidationException" });

    await prisma.approvalRequest.update({ where: { id: approved }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await rejection(migrate({ ...target(), approvalRequestId: approved }))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("expired") });
    expect((await listApprovalRequests(bob, { status: "expired" })).map((r) => r.id)).toContain(approved);
    // The sweeper records it: an approved request nobody used expires like a pending one, once.
    expect(await expireDueRequests()).toBeGreaterThanOrEqual(1);
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id: approved } })).status).toBe("expired");
    expect(await auditEvents({ where: { eventName: "ExpireApprovalRequest" } }, approved)).toHaveLength(1);

    const refused = (await auditEvents({ where: { eventName: "MigrateRootKey" }, orderBy: { id: "asc" } })).filter((r) => r.errorCode !== null);
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(refused.map((r) => r.errorCode)).not.toContain(null);
    expect((await custodyStatusUnaudited()).kind).toBe(storeKind);
  });

  it("an approved request allows one run, for its target, naming its approvers; a second use is refused", async () => {
    await requireApprovals("MigrateRootKey", 2);
    const id = await approvedMigration();
    const run = hostRunApproval("MigrateRootKey", { ...target(), approvalRequestId: id });
    expect(await run.check()).toEqual({ requestId: id, approvers: [bob.username, carol.username] });
    await run.markUsed({ from: storeKind, to: target().to });
    const row = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("executed");
    expect(row.outcome).toMatchObject({ ok: true, response: { to: target().to } });
    expect(await rejection(run.markUsed({}))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("already used") });
    expect(await rejection(migrate({ ...target(), approvalRequestId: id }))).toMatchObject({ name: "AccessDeniedException", message: `Approval request ${id} was already used: an approval runs its change once.` });
  });
});
