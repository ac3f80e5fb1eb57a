// Break-glass on the host: a key administrator schedules a key's deletion and
// locks everyone out of its policy; the operator resets the policy and cancels
// the deletion (keyhold key reset-policy / cancel-deletion), each on record.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { runOperatorCommand } from "@/lib/operator/commands";
import { accountId } from "@/lib/settings/account";
import { makeUser, operator } from "../helpers";
import { call, outcome, policy } from "../policy/fixtures";
import { auditEvents } from "../support/audit-rows";

let admin: Principal;
let keyAdmin: Principal;
let keyId: string;
let account: string;

beforeAll(async () => {
  account = await accountId();
  admin = (await makeUser("ADMINISTRATOR")).principal;
  keyAdmin = (await makeUser("KEY_ADMINISTRATOR")).principal;
  keyId = ((await call("CreateKey", await operator(), {})) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
});

const events = (eventName: string) =>
  auditEvents({ where: { eventName, keyId, principalArn: `arn:aws:iam::${account}:root` } });

describe("break-glass operator commands", () => {
  it("reset-policy and cancel-deletion rescue a key whose administrator locked everyone out", async () => {
    // The lock-out: deletion scheduled, then a policy that lets nobody manage the key.
    await call("ScheduleKeyDeletion", keyAdmin, { KeyId: keyId, PendingWindowInDays: 7 });
    const lockout = policy({ Effect: "Allow", Principal: { AWS: keyAdmin.arn }, Action: "kms:Encrypt", Resource: "*" });
    expect((await outcome(call("PutKeyPolicy", keyAdmin, { KeyId: keyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }))).ok).toBe(true);
    expect((await outcome(call("DescribeKey", admin, { KeyId: keyId }))).name).toBe("AccessDeniedException");
    expect((await outcome(call("CancelKeyDeletion", await operator(), { KeyId: keyId }))).name).toBe("AccessDeniedException");

    await runOperatorCommand("key.reset-policy", { keyId });
    expect((await outcome(call("DescribeKey", admin, { KeyId: keyId }))).ok).toBe(true);
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: keyId } })).policy).toContain(`arn:aws:iam::${account}:root`);

    // Locked out again: cancel-deletion works whatever the policy says.
    await call("PutKeyPolicy", keyAdmin, { KeyId: keyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true });
    const r = (await runOperatorCommand("key.cancel-deletion", { keyId })) as { KeyId: string };
    expect(r.KeyId).toContain(keyId);
    const key = await prisma.kmsKey.findUniqueOrThrow({ where: { id: keyId } });
    expect([key.keyState, key.deletionDate, key.pendingWindowInDays]).toEqual(["Disabled", null, null]);
    expect((await outcome(runOperatorCommand("key.cancel-deletion", { keyId }))).name).toBe("KMSInvalidStateException");

    // On record: by the account root, via the CLI, marked break-glass.
    for (const name of ["PutKeyPolicy", "CancelKeyDeletion"]) {
      const ok = (await events(name)).filter((e) => e.errorCode === null && e.record.includes('"breakGlass":true'));
      expect(ok).toHaveLength(1);
      expect(JSON.parse(ok[0]!.record).additionalEventData.via).toBe("cli");
    }
  });

  it("are refused for a key that does not exist", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await outcome(runOperatorCommand("key.reset-policy", { keyId: missing }))).name).toBe("NotFoundException");
    expect((await outcome(runOperatorCommand("key.cancel-deletion", { keyId: missing }))).name).toBe("NotFoundException");
  });
});
