// M-of-N approvals (lib/approvals) in process, on the real database: a
// protected call is held and audited, decisions follow the rules (the
// requester never counts, one decision per approver, step-up first), the Mth
// approval executes the original call as its requester — once, also when
// approvals land at the same moment — and expiry and a changed world are
// handled and recorded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decideApprovalRequest, expireDueRequests, invokeKmsWithApproval, listApprovalRequests, updateApprovalRule } from "@/lib/approvals";
import { setUserRole } from "@/lib/accounts/users";
import { setUserRoleWithApproval } from "@/lib/approvals/gate";
import { countAwaitingMe } from "@/lib/approvals/requests";
import { eligibleApproverCount } from "@/lib/approvals/rules";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { call, outcome, rejection, rootKey } from "../policy/fixtures";
import { auditEvents } from "../support/audit-rows";
import { administrators, PASSWORD } from "./support";

let alice: Principal, bob: Principal, carol: Principal;

beforeAll(async () => {
  [alice, bob, carol] = await administrators(3);
});

afterEach(async () => {
  await prisma.approvalRule.deleteMany();
});

afterAll(async () => {
  await prisma.approvalRule.deleteMany();
});

const gated = (op: string, caller: Principal, input: object) => invokeKmsWithApproval(op, caller, input, { source: "api" });
const decide = (caller: Principal, requestId: string, decision: "approve" | "reject", extra: object = {}) =>
  decideApprovalRequest(caller, { requestId, decision, reason: `${decision} by ${caller.username}`, password: PASSWORD, ...extra });

async function require(operation: string, approvals: number, ttlSeconds?: number) {
  await updateApprovalRule(await operator(), { operation, approvals, ...(ttlSeconds ? { ttlSeconds } : {}) });
}

/** Makes the call, expects it held, and answers the request ID it names. */
async function held(op: string, caller: Principal, input: object): Promise<string> {
  const e = await rejection(gated(op, caller, input));
  expect(e.name).toBe("AccessDeniedException");
  const id = e.message.match(/Approval request ([0-9a-f-]{36}) was created/)?.[1];
  expect(id, e.message).toBeDefined();
  return id!;
}

const eventsOf = async (requestId: string) =>
  (await auditEvents({ orderBy: { id: "asc" } }, requestId)).map((e) => ({
    name: e.eventName,
    error: e.errorCode,
    principal: e.principalArn,
    record: JSON.parse(e.record) as { additionalEventData?: { approval?: { requestId: string; approvers?: string[] } }; requestParameters: unknown },
  }));

describe("approvals", () => {
  it("holds a 2-of-3 deletion until two others approve, then runs it as the requester, on record", async () => {
    await require("ScheduleKeyDeletion", 2);
    const key = await rootKey();
    const id = await held("ScheduleKeyDeletion", alice, { KeyId: key.id, PendingWindowInDays: 7 });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).keyState).toBe("Enabled");

    // What the approvers see: the key, the window, the date it would get.
    const [listed] = (await listApprovalRequests(bob, { status: "pending" })).filter((r) => r.id === id);
    expect(listed).toMatchObject({ operation: "ScheduleKeyDeletion", requester: alice.username, approvalsNeeded: 2, approvals: 0, canDecide: true });
    expect(listed!.summary).toMatchObject({ keyId: key.id, keyStateBefore: "Enabled", pendingWindowInDays: 7 });
    expect((listed!.summary.wouldAnswer as { DeletionDate: string }).DeletionDate).toMatch(/^\d{4}-/);
    expect(await countAwaitingMe(bob)).toBeGreaterThanOrEqual(1);

    // The requester never counts; an approver decides once; a wrong password is no step-up.
    expect(await rejection(decide(alice, id, "approve"))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("your own request") });
    expect(await rejection(decide(bob, id, "approve", { password: "not the password" }))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("Step-up") });
    expect(await decide(bob, id, "approve")).toMatchObject({ status: "pending", approvals: 1, approvalsNeeded: 2 });
    expect(await rejection(decide(bob, id, "approve"))).toMatchObject({ name: "KMSInvalidStateException", message: expect.stringContaining("decides once") });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).keyState).toBe("Enabled");

    const done = await decide(carol, id, "approve");
    expect(done).toMatchObject({ status: "executed", approvals: 2, execution: { ok: true } });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).keyState).toBe("PendingDeletion");
    expect(await rejection(decide(carol, id, "approve"))).toMatchObject({ name: "KMSInvalidStateException", message: expect.stringContaining("already executed") });

    // Linked by the request ID: the held call, every decision (refusals too), the execution naming its approvers.
    const events = await eventsOf(id);
    expect(events.map((e) => [e.name, e.error])).toEqual([
      ["ScheduleKeyDeletion", "AccessDeniedException"],
      ["ApproveApprovalRequest", "AccessDeniedException"],
      ["ApproveApprovalRequest", "AccessDeniedException"],
      ["ApproveApprovalRequest", null],
      ["ApproveApprovalRequest", "KMSInvalidStateException"],
      ["ScheduleKeyDeletion", null],
      ["ApproveApprovalRequest", null],
      ["ApproveApprovalRequest", "KMSInvalidStateException"],
    ]);
    const executed = events[5]!;
    expect(executed.principal).toBe(alice.arn);
    expect(executed.record.additionalEventData!.approval).toEqual({ requestId: id, approvers: [bob.username, carol.username] });
    // The step-up password is never recorded.
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it("answers bad calls as always and holds nothing: a missing key, a caller without the permission", async () => {
    await require("ScheduleKeyDeletion", 1);
    const before = await prisma.approvalRequest.count();
    expect((await rejection(gated("ScheduleKeyDeletion", alice, { KeyId: "00000000-0000-4000-8000-000000000000" }))).name).toBe("NotFoundException");
    const auditor = (await makeUser("AUDITOR")).principal;
    const key = await rootKey();
    const denied = await rejection(gated("ScheduleKeyDeletion", auditor, { KeyId: key.id }));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).not.toContain("Approval request");
    expect(await prisma.approvalRequest.count()).toBe(before);
    // Operations without a rule run at once.
    await gated("DisableKey", alice, { KeyId: key.id });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).keyState).toBe("Disabled");
  });

  it("a rejection ends the request; only the approver role may decide", async () => {
    await require("DisableKey", 1);
    const key = await rootKey();
    const id = await held("DisableKey", alice, { KeyId: key.id });
    const keyAdmin = (await makeUser("KEY_ADMINISTRATOR", { password: PASSWORD })).principal;
    expect((await rejection(decide(keyAdmin, id, "approve"))).message).toContain("Only users with role ADMINISTRATOR");
    expect((await rejection(decideApprovalRequest(bob, { requestId: id, decision: "reject", password: PASSWORD }))).name).toBe("ValidationException");
    expect(await decide(bob, id, "reject")).toMatchObject({ status: "rejected" });
    expect((await rejection(decide(carol, id, "approve"))).message).toContain("already rejected");
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).keyState).toBe("Enabled");
  });

  it("wrong step-up passwords count toward the sign-in lockout (a stolen session is no password oracle)", async () => {
    await require("DisableKey", 1);
    const erin = await makeUser("ADMINISTRATOR", { password: PASSWORD });
    const key = await rootKey();
    const id = await held("DisableKey", alice, { KeyId: key.id });
    for (let i = 0; i < 4; i++) {
      expect((await rejection(decide(erin.principal, id, "approve", { password: `guess ${i}` }))).message).toContain("password you entered is not correct");
    }
    expect((await rejection(decide(erin.principal, id, "approve", { password: "guess 4" }))).message).toContain("locked");
    // Locked: even the right password is refused now, and nothing was decided.
    expect((await rejection(decide(erin.principal, id, "approve"))).message).toContain("locked");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: erin.user.id } })).lockedUntil).not.toBeNull();
    expect(await prisma.approvalDecision.count({ where: { requestId: id } })).toBe(0);
  });

  it("an administrator account made after the request cannot approve it (no self-made quorum)", async () => {
    await require("DisableKey", 1);
    const key = await rootKey();
    const id = await held("DisableKey", alice, { KeyId: key.id });
    const sockPuppet = (await makeUser("ADMINISTRATOR", { password: PASSWORD })).principal;
    expect((await rejection(decide(sockPuppet, id, "approve"))).message).toContain("created after approval request");
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).keyState).toBe("Enabled");
    expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed" });
  });

  it("expires unapproved requests with an event, and refuses to approve them", async () => {
    await require("DisableKey", 1);
    const key = await rootKey();
    const id = await held("DisableKey", alice, { KeyId: key.id });
    await prisma.approvalRequest.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await rejection(decide(bob, id, "approve"))).message).toContain("expired");
    expect(await expireDueRequests()).toBeGreaterThanOrEqual(1);
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("expired");
    expect(await expireDueRequests()).toBe(0);
    const expiry = (await eventsOf(id)).filter((e) => e.name === "ExpireApprovalRequest");
    expect(expiry).toHaveLength(1);
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).keyState).toBe("Enabled");
  });

  it("records a failed execution when the key changed meanwhile, or the requester lost the permission", async () => {
    await require("ScheduleKeyDeletion", 1);
    const key = await rootKey();
    const id = await held("ScheduleKeyDeletion", alice, { KeyId: key.id, PendingWindowInDays: 7 });
    await call("ScheduleKeyDeletion", await operator(), { KeyId: key.id, PendingWindowInDays: 30 }); // scheduled by someone else meanwhile
    const r = await decide(bob, id, "approve");
    expect(r).toMatchObject({ status: "failed", execution: { ok: false, error: { name: "KMSInvalidStateException" } } });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).pendingWindowInDays).toBe(30);
    expect((await eventsOf(id)).filter((e) => e.name === "ScheduleKeyDeletion").map((e) => e.error)).toEqual(["AccessDeniedException", "KMSInvalidStateException"]);

    const dave = await makeUser("ADMINISTRATOR", { password: PASSWORD });
    const key2 = await rootKey();
    const id2 = await held("ScheduleKeyDeletion", dave.principal, { KeyId: key2.id });
    await prisma.user.update({ where: { id: dave.user.id }, data: { role: "AUDITOR" } });
    expect(await decide(bob, id2, "approve")).toMatchObject({ status: "failed", execution: { ok: false, error: { name: "AccessDeniedException" } } });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key2.id } })).keyState).toBe("Enabled");
  });

  it("executes once when the last approvals land at the same moment", async () => {
    await require("ScheduleKeyDeletion", 1);
    const key = await rootKey();
    const id = await held("ScheduleKeyDeletion", alice, { KeyId: key.id, PendingWindowInDays: 7 });
    const results = await Promise.all([outcome(decide(bob, id, "approve")), outcome(decide(carol, id, "approve"))]);
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.value).toMatchObject({ status: "executed" });
    expect(results.find((r) => !r.ok)).toMatchObject({ name: "KMSInvalidStateException" });
    const executions = (await eventsOf(id)).filter((e) => e.name === "ScheduleKeyDeletion" && e.error === null);
    expect(executions).toHaveLength(1);
    expect((await prisma.approvalDecision.count({ where: { requestId: id } }))).toBe(1);
  });

  it("puts the approval policy itself under quorum once any rule exists", async () => {
    await require("ScheduleKeyDeletion", 2);
    const id = await held_rule();
    expect(await prisma.approvalRule.findUnique({ where: { operation: "ScheduleKeyDeletion" } })).not.toBeNull();
    await decide(bob, id, "approve");
    expect(await decide(carol, id, "approve")).toMatchObject({ status: "executed" });
    expect(await prisma.approvalRule.findUnique({ where: { operation: "ScheduleKeyDeletion" } })).toBeNull();
    // With no rule left, a change is immediate again.
    await updateApprovalRule(alice, { operation: "DisableKey", approvals: 1 });
    expect(await prisma.approvalRule.findUnique({ where: { operation: "DisableKey" } })).not.toBeNull();

    async function held_rule() {
      const e = await rejection(updateApprovalRule(alice, { operation: "ScheduleKeyDeletion", approvals: 0 }));
      expect(e.name).toBe("AccessDeniedException");
      return e.message.match(/Approval request ([0-9a-f-]{36})/)![1]!;
    }
  });

  it("refuses a rule nobody could satisfy and bad rule input", async () => {
    // As many approvals as the role has active users: one short (the requester never counts). Other test
    // files share this database and add users, so take the role with the fewest.
    const counts = await Promise.all(
      (["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] as const).map(async (role) => ({ role, n: await eligibleApproverCount(role) })),
    );
    const fewest = counts.sort((a, b) => a.n - b.n)[0]!;
    expect(fewest.n).toBeLessThanOrEqual(10);
    const unsatisfiable = updateApprovalRule(await operator(), { operation: "ScheduleKeyDeletion", approvals: Math.max(fewest.n, 1), approverRole: fewest.role });
    expect((await rejection(unsatisfiable)).name).toBe("ValidationException");
    expect((await rejection(require("Encrypt", 1))).name).toBe("ValidationException");
    expect((await rejection(updateApprovalRule(await operator(), { operation: "DisableKey", approvals: 1.5 }))).name).toBe("ValidationException");
  });
});

describe("approvals for user role changes", () => {
  afterEach(async () => {
    await prisma.approvalRule.deleteMany();
  });

  it("holds a role change until approved, then makes it as the requester; the event names the approvers", async () => {
    await updateApprovalRule(await operator(), { operation: "UpdateUserRole", approvals: 1 });
    const target = await makeUser("KEY_USER");
    const e = await rejection(setUserRoleWithApproval(alice, { userId: target.user.id, role: "ADMINISTRATOR" }));
    expect(e.name).toBe("AccessDeniedException");
    const id = e.message.match(/Approval request ([0-9a-f-]{36})/)![1]!;
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.user.id } })).role).toBe("KEY_USER");
    const [listed] = (await listApprovalRequests(bob, { status: "pending" })).filter((r) => r.id === id);
    expect(listed!.summary).toMatchObject({ username: target.user.username, roleBefore: "KEY_USER", roleAfter: "ADMINISTRATOR" });

    expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.user.id } })).role).toBe("ADMINISTRATOR");
    const executed = (await eventsOf(id)).filter((x) => x.name === "UpdateUserRole" && x.error === null);
    expect(executed).toHaveLength(1);
    expect(executed[0]!.principal).toBe(alice.arn);
    expect(executed[0]!.record.additionalEventData!.approval).toEqual({ requestId: id, approvers: [bob.username] });
    // The operator on the host is never held.
    await setUserRole(await operator(), { userId: target.user.id, role: "AUDITOR" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.user.id } })).role).toBe("AUDITOR");
  });
});
