// Account changes under quorum (lib/approvals/access-gate.ts): resetting
// another user's password or MFA (the way around quorum: reset an
// administrator's credentials, then act as them), an access key for an
// administrator, and an audit retention that purges sooner. A secret the
// change produces is made when the request executes, never shown to the
// approvers or recorded, and revealed once to the requester.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listApprovalRequests } from "@/lib/approvals";
import { invokeAccessWithApproval, type AccessOperation } from "@/lib/approvals/access-gate";
import { revealApprovalSecret } from "@/lib/approvals/reveal";
import { createAccessKey, unwrapSecret } from "@/lib/accounts/access-keys";
import { invokeKmsWithApproval } from "@/lib/approvals/gate";
import { invokeKms } from "@/lib/kms/invoke";
import { updateSettings } from "@/lib/accounts/settings";
import { verifyPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { forgetRuntimeSettings, readRuntimeSettings } from "@/lib/settings/runtime";
import { makeUser, operator } from "../helpers";
import { rejection } from "../policy/fixtures";
import { recordSecret } from "../secret-registry";
import { administrators, decide, eventsText, heldId, requireApprovals, retireAdministratorsAfterFile, spellings } from "./support";

let alice: Principal, bob: Principal;
retireAdministratorsAfterFile();
beforeAll(async () => {
  [alice, bob] = await administrators(2);
});
afterEach(async () => {
  await prisma.approvalRule.deleteMany();
});
// The settings rows this file changes are put back as they were: other files expect the defaults.
const SETTING_KEYS = ["audit_retention_days", "lockout_threshold", "lockout_minutes"];
let savedSettings: Array<{ key: string; value: string }>;
beforeAll(async () => {
  savedSettings = await prisma.setting.findMany({ where: { key: { in: SETTING_KEYS } }, select: { key: true, value: true } });
});
afterAll(async () => {
  await prisma.setting.deleteMany({ where: { key: { in: SETTING_KEYS } } });
  if (savedSettings.length) await prisma.setting.createMany({ data: savedSettings });
  forgetRuntimeSettings();
});

const gated = (operation: AccessOperation, caller: Principal, input: object) => invokeAccessWithApproval(operation, caller, input, { source: "console" });

describe("account changes under quorum", () => {
  it("resets another administrator's password only when approved; the new password is revealed once to the requester", async () => {
    await requireApprovals("ResetUserPassword", 1);
    const dave = await makeUser("ADMINISTRATOR");
    const id = await heldId(gated("ResetUserPassword", alice, { userId: dave.user.id }));
    // Nothing changed yet: dave's own password still works, and no secret is waiting.
    expect(await verifyPassword(dave.password, (await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).passwordHash)).toBe(true);
    const listed = (await listApprovalRequests(bob, { status: "pending" })).find((r) => r.id === id)!;
    expect(listed.summary).toMatchObject({ username: dave.user.username, role: "ADMINISTRATOR" });
    expect(JSON.stringify(listed.summary)).not.toContain("generatedPassword");

    const done = await decide(bob, id, "approve");
    expect(done).toMatchObject({ status: "executed", execution: { ok: true, secretSealedForRequester: true } });
    expect(JSON.stringify(done)).not.toContain("generatedPassword");
    const row = await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } });
    expect(await verifyPassword(dave.password, row.passwordHash)).toBe(false);
    expect(row.mustChangePassword).toBe(true);

    // Only the requester reveals it, once; the approver never sees it.
    expect((await listApprovalRequests(bob)).find((r) => r.id === id)).toMatchObject({ secretToReveal: false });
    expect((await listApprovalRequests(alice)).find((r) => r.id === id)).toMatchObject({ secretToReveal: true });
    expect(await rejection(revealApprovalSecret(bob, { requestId: id }))).toMatchObject({ name: "AccessDeniedException" });
    const { secret } = await revealApprovalSecret(alice, { requestId: id });
    const generated = secret.generatedPassword as string;
    recordSecret(generated, "password generated on approval");
    expect(await verifyPassword(generated, row.passwordHash)).toBe(true);
    expect(await rejection(revealApprovalSecret(alice, { requestId: id }))).toMatchObject({ name: "KMSInvalidStateException", message: expect.stringContaining("already revealed") });
    const after = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(after.sealedResult).toBeNull();
    expect(after.resultRevealedAt).not.toBeNull();

    const events = await eventsText(id);
    expect(events.names).toEqual([
      ["ResetUserPassword", "AccessDeniedException"],
      ["ResetUserPassword", null],
      ["ApproveApprovalRequest", null],
      ["RevealApprovalSecret", "AccessDeniedException"],
      ["RevealApprovalSecret", null],
      ["RevealApprovalSecret", "KMSInvalidStateException"],
    ]);
    for (const s of spellings(generated)) expect(events.text + JSON.stringify(after)).not.toContain(s);
  });

  it("a chosen password is kept sealed while held", async () => {
    await requireApprovals("ResetUserPassword", 1);
    const dave = await makeUser("KEY_USER");
    const chosen = "a chosen temporary password 42";
    recordSecret(chosen, "chosen password");
    const id = await heldId(gated("ResetUserPassword", alice, { userId: dave.user.id, password: chosen }));
    const held = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(held.input).toEqual({ userId: dave.user.id });
    expect(held.summary).toMatchObject({ password: "(hidden)" });
    expect(held.sealedInput).not.toBeNull();
    expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed" });
    expect(await verifyPassword(chosen, (await prisma.user.findUniqueOrThrow({ where: { id: dave.user.id } })).passwordHash)).toBe(true);
    const ran = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect([ran.sealedInput, ran.sealedResult]).toEqual([null, null]); // nothing generated, nothing to reveal
    expect((await eventsText(id)).text).not.toContain(chosen);
  });

  it("resets another user's MFA only when approved", async () => {
    await requireApprovals("ResetUserMfa", 1);
    const dave = await makeUser("ADMINISTRATOR");
    await prisma.mfaFactor.create({ data: { userId: dave.user.id, type: "webauthn", name: "dave's key", confirmed: true, credentialId: `cred-${dave.user.id}` } });
    const id = await heldId(gated("ResetUserMfa", alice, { userId: dave.user.id }));
    expect(await prisma.mfaFactor.count({ where: { userId: dave.user.id } })).toBe(1);
    expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed", execution: { ok: true, response: { factorsRemoved: 1 } } });
    expect(await prisma.mfaFactor.count({ where: { userId: dave.user.id } })).toBe(0);
    expect((await eventsText(id)).names.map(([n, e]) => `${n}:${e}`)).toEqual(["ResetUserMfa:AccessDeniedException", "ResetUserMfa:null", "ApproveApprovalRequest:null"]);
  });

  it("holds an access key for another user or an administrator (not a user's own); its secret is made on approval and revealed once", async () => {
    await requireApprovals("CreateAccessKey", 1);
    const keyUser = await makeUser("KEY_USER");
    const immediate = (await gated("CreateAccessKey", keyUser.principal, {})) as { SecretAccessKey: string };
    recordSecret(immediate.SecretAccessKey, "access key secret");
    // For someone else it is held: a key is a way to act as its user (request as them, then approve oneself).
    const forOther = await heldId(gated("CreateAccessKey", alice, { username: keyUser.user.username }));
    expect(await prisma.accessKey.count({ where: { userId: keyUser.user.id } })).toBe(1);
    await decide(bob, forOther, "reject");
    const dave = await makeUser("ADMINISTRATOR");
    const id = await heldId(gated("CreateAccessKey", alice, { username: dave.user.username }));
    expect(await prisma.accessKey.count({ where: { userId: dave.user.id } })).toBe(0);
    const done = await decide(bob, id, "approve");
    expect(done).toMatchObject({ status: "executed", execution: { ok: true, secretSealedForRequester: true, response: { UserName: dave.user.username } } });
    const [key] = await prisma.accessKey.findMany({ where: { userId: dave.user.id } });
    const { secret } = await revealApprovalSecret(alice, { requestId: id });
    recordSecret(secret.SecretAccessKey as string, "access key secret on approval");
    expect(secret.SecretAccessKey).toBe(await unwrapSecret(key!.id, key!.secretWrapped));
    const text = (await eventsText(id)).text + JSON.stringify(await prisma.approvalRequest.findUniqueOrThrow({ where: { id } }));
    for (const s of spellings(secret.SecretAccessKey as string)) expect(text).not.toContain(s);
  });

  it("refuses an approver who created the access key a request was made with (minting a colleague's key, requesting as them)", async () => {
    await requireApprovals("DisableKey", 1);
    // Another administrator (say, one whose own requests alice approves); alice mints a key for them.
    const erin = await makeUser("ADMINISTRATOR", { password: "approver step-up password" });
    const minted = await createAccessKey(alice, { username: erin.user.username });
    recordSecret(minted.SecretAccessKey, "access key secret minted by alice");
    const keyId = ((await invokeKms("CreateKey", erin.principal, {}, { source: "api", accessKeyId: minted.AccessKeyId })) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    const id = await heldId(invokeKmsWithApproval("DisableKey", erin.principal, { KeyId: keyId }, { source: "api", accessKeyId: minted.AccessKeyId }));
    expect(await rejection(decide(alice, id, "approve"))).toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("You created the access key") });
    // Anyone else may decide it as usual.
    expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed" });
  });

  it("holds an audit retention that purges sooner; other settings and a longer retention apply at once", async () => {
    await updateSettings(await operator(), { auditRetentionDays: null });
    await requireApprovals("UpdateAuditRetention", 1);
    await gated("UpdateAuditRetention", alice, { lockoutThreshold: 6 });
    forgetRuntimeSettings();
    expect((await readRuntimeSettings()).lockoutThreshold.value).toBe(6);

    const id = await heldId(gated("UpdateAuditRetention", alice, { auditRetentionDays: 400 }));
    forgetRuntimeSettings();
    expect((await readRuntimeSettings()).auditRetentionDays.value).toBeNull();
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).summary).toMatchObject({ auditRetentionDaysBefore: null, auditRetentionDaysAfter: 400 });
    expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed" });
    forgetRuntimeSettings();
    expect((await readRuntimeSettings()).auditRetentionDays.value).toBe(400);
    expect((await eventsText(id)).names).toEqual([
      ["UpdateSettings", "AccessDeniedException"],
      ["UpdateSettings", null],
      ["ApproveApprovalRequest", null],
    ]);

    await gated("UpdateAuditRetention", alice, { auditRetentionDays: 800 }); // keeps more: no approval
    forgetRuntimeSettings();
    expect((await readRuntimeSettings()).auditRetentionDays.value).toBe(800);
    await heldId(gated("UpdateAuditRetention", alice, { auditRetentionDays: 100 }));
    // Bad input is answered as always, not held.
    expect((await rejection(gated("UpdateAuditRetention", alice, { auditRetentionDays: 5 }))).name).toBe("ValidationException");
  });
});
