// More account changes under quorum (lib/approvals/access-gate.ts): disabling
// and re-enabling a user, giving a custom role (held by its own rule, or by
// the UpdateUserRole rule when it has none), the MFA policy, and creating an
// administrator (other users are created at once). Each is held with a
// summary of exactly what will change, runs on the Mth approval as its
// requester, and its event names the approvers; the requester never approves.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { listApprovalRequests } from "@/lib/approvals";
import { invokeAccessWithApproval, type AccessOperation } from "@/lib/approvals/access-gate";
import { revealApprovalSecret } from "@/lib/approvals/reveal";
import { createCustomRole } from "@/lib/accounts/custom-roles";
import { mfaRequiredRoles, storeMfaRequiredRoles } from "@/lib/auth/mfa/required-roles";
import { verifyPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { rejection } from "../policy/fixtures";
import { recordSecret } from "../secret-registry";
import { auditEvents } from "../support/audit-rows";
import { administrators, decide, heldId, requireApprovals, retireAdministratorsAfterFile } from "./support";

let alice: Principal, bob: Principal, carol: Principal;
retireAdministratorsAfterFile();
beforeAll(async () => {
  [alice, bob, carol] = await administrators(3);
});
afterEach(async () => {
  await prisma.approvalRule.deleteMany();
});

const gated = (operation: AccessOperation, caller: Principal, input: object) => invokeAccessWithApproval(operation, caller, input, { source: "console" });

/** The summary the approvers see. */
async function summaryOf(id: string): Promise<Record<string, unknown>> {
  return (await listApprovalRequests(bob, { status: "pending" })).find((r) => r.id === id)!.summary;
}

/** The executed change's event: its name, and the approvers it names. */
async function executedEvent(id: string): Promise<{ eventName: string; approvers: string[] }> {
  const rows = (await auditEvents({ orderBy: { id: "asc" } }, id)).filter((r) => r.errorCode === null && !/Approval(Request|Secret)$/.test(r.eventName));
  expect(rows).toHaveLength(1);
  const record = JSON.parse(rows[0]!.record) as { eventName: string; additionalEventData?: { approval?: { requestId: string; approvers?: string[] } } };
  expect(record.additionalEventData?.approval?.requestId).toBe(id);
  return { eventName: record.eventName, approvers: record.additionalEventData?.approval?.approvers ?? [] };
}

/** Approval by two of bob and carol; the requester (alice) is refused first. */
async function approveByTwo(id: string) {
  expect(await rejection(decide(alice, id, "approve"))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("your own request") });
  expect(await decide(bob, id, "approve")).toMatchObject({ status: "pending", approvals: 1 });
  return decide(carol, id, "approve");
}

describe("more account changes under quorum", () => {
  it("disabling a user is held until two approvals, then runs; re-enabling is held too", async () => {
    await requireApprovals("UpdateUserStatus", 2);
    const dave = await makeUser("KEY_ADMINISTRATOR");
    const id = await heldId(gated("UpdateUserStatus", alice, { userId: dave.user.id, disabled: true }));
    expect((await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).disabled).toBe(false);
    expect(await summaryOf(id)).toMatchObject({ username: dave.user.username, role: "KEY_ADMINISTRATOR", disabledBefore: false, disabledAfter: true });
    expect(await approveByTwo(id)).toMatchObject({ status: "executed", execution: { ok: true } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).disabled).toBe(true);
    expect(await executedEvent(id)).toEqual({ eventName: "UpdateUserStatus", approvers: [bob.username, carol.username] });

    const again = await heldId(gated("UpdateUserStatus", alice, { userId: dave.user.id, disabled: false }));
    expect(await summaryOf(again)).toMatchObject({ disabledBefore: true, disabledAfter: false });
    expect(await approveByTwo(again)).toMatchObject({ status: "executed" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).disabled).toBe(false);
    // Bad input is answered as always, not held.
    expect((await rejection(gated("UpdateUserStatus", alice, { userId: "not-a-user", disabled: true }))).name).toBe("ValidationException");
  });

  it("a custom role is held by its own rule, or by the UpdateUserRole rule when it has none", async () => {
    const role = await createCustomRole(await operator(), {
      name: `quorum-${Date.now()}`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }),
    });
    const dave = await makeUser("KEY_USER");
    // No rule: at once.
    await gated("UpdateUserCustomRole", alice, { userId: dave.user.id, customRoleId: null });

    await requireApprovals("UpdateUserRole", 2);
    const id = await heldId(gated("UpdateUserCustomRole", alice, { userId: dave.user.id, customRoleId: role.id }));
    expect((await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).customRoleId).toBeNull();
    expect(await summaryOf(id)).toMatchObject({ username: dave.user.username, customRoleBefore: null, customRoleAfter: role.name });
    expect(await approveByTwo(id)).toMatchObject({ status: "executed", execution: { ok: true, response: { customRoleId: role.id } } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).customRoleId).toBe(role.id);
    expect(await executedEvent(id)).toEqual({ eventName: "UpdateUserCustomRole", approvers: [bob.username, carol.username] });

    // Its own rule wins (one approval), and taking the role away is held as well.
    await requireApprovals("UpdateUserCustomRole", 1);
    const removal = await heldId(gated("UpdateUserCustomRole", alice, { userId: dave.user.id, customRoleId: null }));
    expect(await summaryOf(removal)).toMatchObject({ customRoleBefore: role.name, customRoleAfter: null });
    expect(await rejection(decide(alice, removal, "approve"))).toMatchObject({ name: "AccessDeniedException" });
    expect(await decide(bob, removal, "approve")).toMatchObject({ status: "executed" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).customRoleId).toBeNull();
  });

  it("the MFA policy is held, showing the roles before and after", async () => {
    const before = await mfaRequiredRoles();
    try {
      await storeMfaRequiredRoles([]);
      await requireApprovals("UpdateMfaPolicy", 2);
      const id = await heldId(gated("UpdateMfaPolicy", alice, { roles: ["KEY_ADMINISTRATOR", "AUDITOR"] }));
      expect(await mfaRequiredRoles()).toEqual([]);
      expect(await summaryOf(id)).toMatchObject({ mfaRequiredRolesBefore: [], mfaRequiredRolesAfter: ["AUDITOR", "KEY_ADMINISTRATOR"] });
      expect(await approveByTwo(id)).toMatchObject({ status: "executed", execution: { ok: true, response: { requiredRoles: ["AUDITOR", "KEY_ADMINISTRATOR"] } } });
      expect(await mfaRequiredRoles()).toEqual(["AUDITOR", "KEY_ADMINISTRATOR"]);
      expect(await executedEvent(id)).toEqual({ eventName: "UpdateMfaPolicy", approvers: [bob.username, carol.username] });
    } finally {
      await storeMfaRequiredRoles(before);
    }
  });

  it("creating an administrator is held (other users are created at once); its password is revealed once to the requester", async () => {
    await requireApprovals("CreateAdministrator", 2);
    const keyUser = `ku-${Date.now()}`;
    const made = (await gated("CreateAdministrator", alice, { username: keyUser, role: "KEY_USER" })) as { generatedPassword?: string };
    recordSecret(made.generatedPassword!, "key user generated password");
    expect(await prisma.user.count({ where: { username: keyUser } })).toBe(1);

    const username = `admin-${Date.now()}`;
    const id = await heldId(gated("CreateAdministrator", alice, { username, role: "ADMINISTRATOR" }));
    expect(await prisma.user.count({ where: { username } })).toBe(0);
    expect(await summaryOf(id)).toMatchObject({ username, role: "ADMINISTRATOR", serviceAccount: false });
    const done = await approveByTwo(id);
    expect(done).toMatchObject({ status: "executed", execution: { ok: true, secretSealedForRequester: true, response: { user: { username, role: "ADMINISTRATOR" } } } });
    expect(JSON.stringify(done)).not.toContain("generatedPassword");
    const created = await prisma.user.findUniqueOrThrow({ where: { username } });
    const { secret } = await revealApprovalSecret(alice, { requestId: id });
    recordSecret(secret.generatedPassword as string, "administrator generated password on approval");
    expect(await verifyPassword(secret.generatedPassword as string, created.passwordHash)).toBe(true);
    expect(await executedEvent(id)).toEqual({ eventName: "CreateUser", approvers: [bob.username, carol.username] });
    await prisma.user.update({ where: { id: created.id }, data: { disabled: true } }); // other files count active administrators
  });

  it("a chosen password for a new administrator is kept sealed while held", async () => {
    await requireApprovals("CreateAdministrator", 1);
    const chosen = "chosen administrator password 77";
    recordSecret(chosen, "chosen administrator password");
    const username = `admin-chosen-${Date.now()}`;
    const id = await heldId(gated("CreateAdministrator", alice, { username, role: "ADMINISTRATOR", password: chosen }));
    const held = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(held.input).toEqual({ username, role: "ADMINISTRATOR" });
    expect(held.summary).toMatchObject({ password: "(hidden)" });
    expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed" });
    const created = await prisma.user.findUniqueOrThrow({ where: { username } });
    expect(await verifyPassword(chosen, created.passwordHash)).toBe(true);
    const text = (await auditEvents({}, id)).map((r) => r.record).join("\n") + JSON.stringify(await prisma.approvalRequest.findUniqueOrThrow({ where: { id } }));
    expect(text).not.toContain(chosen);
    await prisma.user.update({ where: { id: created.id }, data: { disabled: true } });
  });
});
