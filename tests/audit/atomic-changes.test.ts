// No change without its audit event: for every operation that changes state,
// through every door (KMS operations as the API and console call them, the
// console/CLI user, access-key and role operations, the scheduler's own
// deletions, rotations and expiries), with the audit table refusing inserts
// the caller gets KMSInternalException and a logical dump of every table is
// byte-identical before and after the attempt.
import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAccessKey, deleteAccessKey, setAccessKeyStatus } from "@/lib/accounts/access-keys";
import { createCustomRole, deleteCustomRole, setUserCustomRole, updateCustomRole } from "@/lib/accounts/custom-roles";
import { createNotificationRule, deleteNotificationRule, disableNotificationRule, updateNotificationRule } from "@/lib/alerts/rules";
import { changeOwnPassword, createUser, resetUserPassword, setUserDisabled, setUserRole, setUserTags, unlockUser } from "@/lib/accounts/users";
import { auditWriter } from "@/lib/audit/writer";
import { purgeAuditEvents } from "@/lib/audit/retention";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { DAY_MS } from "@/lib/kms/clock";
import { deleteExpiredKeyMaterial } from "@/lib/kms/import/expiry";
import { invokeKms } from "@/lib/kms/invoke";
import { sweepDueDeletions } from "@/lib/kms/operations/deletion";
import { rotateDueKeys } from "@/lib/kms/operations/rotation";
import { makeUser } from "../helpers";
import { freezeClock, restoreClock } from "../kms/lifecycle/fixtures";
import { wrapForImport } from "../kms/lifecycle/import-wrap";
import { recordSecret } from "../secret-registry";

let admin: Principal;
let selfService: { principal: Principal; password: string };

/** Every row of every table, in a stable order (sequence positions aside: a refused insert may consume one). */
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

async function blockAudit() {
  await auditWriter().digest(); // nothing left for the digest timer to write meanwhile
  await prisma.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit table is read-only'; END $$`,
  );
  await prisma.$executeRawUnsafe(`CREATE TRIGGER audit_unwritable BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_refuse()`);
}

async function unblockAudit() {
  await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS audit_unwritable ON "AuditEvent"`);
}

/** Runs `attempt` with the audit table refusing inserts: it must fail with KMSInternalException and change nothing. */
async function changesNothing(label: string, attempt: () => Promise<unknown>) {
  await blockAudit();
  try {
    const before = await logicalDump();
    const error = await attempt().then(
      () => undefined,
      (e: unknown) => e as { name?: string },
    );
    expect(error?.name, `${label}: KMSInternalException`).toBe("KMSInternalException");
    expect(await logicalDump(), `${label}: nothing changed`).toBe(before);
  } finally {
    await unblockAudit();
  }
}

const kms = (op: string, input: unknown, caller: Principal = admin) => invokeKms(op, caller, input, { source: "api", requestId: randomUUID() });

async function newKeyId(input: Record<string, unknown> = {}): Promise<string> {
  const r = (await kms("CreateKey", input)) as { KeyMetadata: { KeyId: string } };
  return r.KeyMetadata.KeyId;
}

beforeAll(async () => {
  admin = (await makeUser("ADMINISTRATOR")).principal;
  const u = await makeUser("KEY_USER", { password: "self service password 1" });
  selfService = { principal: u.principal, password: u.password };
});

afterEach(async () => {
  await unblockAudit();
  restoreClock();
});

describe("a change and its event commit together or not at all", () => {
  it("every changing KMS operation", async () => {
    const tag = randomUUID().slice(0, 8);
    const key = await newKeyId({ Description: "atomic" });
    const hmac = await newKeyId({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    await kms("CreateAlias", { AliasName: `alias/atomic-a-${tag}`, TargetKeyId: key });
    const other = await newKeyId();
    await kms("TagResource", { KeyId: key, Tags: [{ TagKey: "env", TagValue: "prod" }] });
    const grant = (await kms("CreateGrant", { KeyId: key, GranteePrincipal: admin.arn, Operations: ["Encrypt"] })) as { GrantId: string };
    const retirable = (await kms("CreateGrant", { KeyId: key, GranteePrincipal: admin.arn, RetiringPrincipal: admin.arn, Operations: ["Decrypt"] })) as {
      GrantId: string;
    };
    const pending = await newKeyId();
    await kms("ScheduleKeyDeletion", { KeyId: pending, PendingWindowInDays: 7 });
    await kms("EnableKeyRotation", { KeyId: other });
    const openPolicy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }],
    });

    const attempts: Array<[string, unknown]> = [
      ["CreateKey", {}],
      ["CreateKey", { KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }],
      ["UpdateKeyDescription", { KeyId: key, Description: "changed" }],
      ["DisableKey", { KeyId: key }],
      ["PutKeyPolicy", { KeyId: key, PolicyName: "default", Policy: openPolicy, BypassPolicyLockoutSafetyCheck: true }],
      ["CreateAlias", { AliasName: `alias/atomic-b-${tag}`, TargetKeyId: key }],
      ["UpdateAlias", { AliasName: `alias/atomic-a-${tag}`, TargetKeyId: other }],
      ["DeleteAlias", { AliasName: `alias/atomic-a-${tag}` }],
      ["TagResource", { KeyId: key, Tags: [{ TagKey: "team", TagValue: "x" }] }],
      ["UntagResource", { KeyId: key, TagKeys: ["env"] }],
      ["CreateGrant", { KeyId: key, GranteePrincipal: admin.arn, Operations: ["Decrypt"] }],
      ["RetireGrant", { KeyId: key, GrantId: retirable.GrantId }],
      ["RevokeGrant", { KeyId: key, GrantId: grant.GrantId }],
      ["EnableKeyRotation", { KeyId: key }],
      ["DisableKeyRotation", { KeyId: other }],
      ["RotateKeyOnDemand", { KeyId: key }],
      ["RotateKeyOnDemand", { KeyId: hmac }],
      ["ScheduleKeyDeletion", { KeyId: key, PendingWindowInDays: 7 }],
      ["CancelKeyDeletion", { KeyId: pending }],
    ];
    for (const [op, input] of attempts) await changesNothing(op, () => kms(op, input));
    await kms("DisableKey", { KeyId: other });
    await changesNothing("EnableKey", () => kms("EnableKey", { KeyId: other }));
  });

  it("imported key material: import, delete, and its expiry by the scheduler", async () => {
    const T0 = new Date("2034-01-01T00:00:00Z");
    freezeClock(T0);
    const external = await newKeyId({ Origin: "EXTERNAL" });
    const params = (await kms("GetParametersForImport", { KeyId: external, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" })) as {
      PublicKey: Uint8Array;
      ImportToken: Uint8Array;
    };
    const material = randomBytes(32);
    recordSecret(material, "atomic-changes imported material");
    const wrapped = wrapForImport(params.PublicKey, "RSAES_OAEP_SHA_256", material);
    const importing = { KeyId: external, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: "KEY_MATERIAL_EXPIRES", ValidTo: new Date(T0.getTime() + DAY_MS) };
    await changesNothing("ImportKeyMaterial", () => kms("ImportKeyMaterial", importing));
    await kms("ImportKeyMaterial", importing);
    await changesNothing("DeleteImportedKeyMaterial", () => kms("DeleteImportedKeyMaterial", { KeyId: external }));

    freezeClock(new Date(T0.getTime() + 2 * DAY_MS));
    await blockAudit();
    try {
      const before = await logicalDump();
      await deleteExpiredKeyMaterial().catch(() => 0);
      expect(await logicalDump(), "expiry: nothing changed").toBe(before);
    } finally {
      await unblockAudit();
    }
    expect(await deleteExpiredKeyMaterial()).toBeGreaterThanOrEqual(1);
    expect(await prisma.auditEvent.count({ where: { keyId: external, eventName: "DeleteExpiredKeyMaterial" } })).toBe(1);
  });

  it("users, access keys, roles and the audit purge (console and CLI)", async () => {
    const target = await makeUser("KEY_USER");
    const role = await createCustomRole(admin, {
      name: `atomic-${randomUUID().slice(0, 6)}`,
      description: "d",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }] }),
    });
    const key = await createAccessKey(admin, { username: target.user.username });

    await changesNothing("CreateUser", () => createUser(admin, { username: `atomic-${randomUUID().slice(0, 6)}`, role: "ADMINISTRATOR" }));
    await changesNothing("UpdateUserRole", () => setUserRole(admin, { userId: target.user.id, role: "ADMINISTRATOR" }));
    await changesNothing("UpdateUserStatus", () => setUserDisabled(admin, { userId: target.user.id, disabled: true }));
    await changesNothing("ResetUserPassword", () => resetUserPassword(admin, { userId: target.user.id }));
    await changesNothing("UnlockUser", () => unlockUser(admin, { userId: target.user.id }));
    await changesNothing("TagUser", () => setUserTags(admin, { userId: target.user.id, tags: { team: "red" } }));
    await changesNothing("ChangePassword", () =>
      changeOwnPassword(selfService.principal, { currentPassword: selfService.password, newPassword: "a brand new password 2" }),
    );
    await changesNothing("CreateAccessKey (administrator's)", () => createAccessKey(admin, { username: admin.username }));
    await changesNothing("UpdateAccessKey", () => setAccessKeyStatus(admin, { accessKeyId: key.AccessKeyId, status: "Inactive" }));
    await changesNothing("DeleteAccessKey", () => deleteAccessKey(admin, { accessKeyId: key.AccessKeyId }));
    await changesNothing("CreateRole", () => createCustomRole(admin, { name: `atomic-${randomUUID().slice(0, 6)}`, description: "d", policy: "{}" }));
    await changesNothing("UpdateRole", () => updateCustomRole(admin, { customRoleId: role.id, description: "changed" }));
    await changesNothing("UpdateUserCustomRole", () => setUserCustomRole(admin, { userId: target.user.id, customRoleId: role.id }));
    await changesNothing("DeleteRole", () => deleteCustomRole(admin, { customRoleId: role.id }));
    const rule = await createNotificationRule(admin, { name: `atomic-${randomUUID().slice(0, 6)}`, url: "http://127.0.0.1:9/hook" });
    recordSecret(rule.signingSecret, "atomic notification rule secret");
    await changesNothing("CreateNotificationRule", () => createNotificationRule(admin, { name: `atomic-${randomUUID().slice(0, 6)}`, url: "http://127.0.0.1:9/x" }));
    await changesNothing("UpdateNotificationRule", () => updateNotificationRule(admin, { ruleId: rule.id, minCount: 9 }));
    await changesNothing("DisableNotificationRule", () => disableNotificationRule(admin, { ruleId: rule.id }));
    await changesNothing("DeleteNotificationRule", () => deleteNotificationRule(admin, { ruleId: rule.id }));
    await changesNothing("PurgeAuditEvents", () => purgeAuditEvents(admin, { before: new Date(Date.now() - 40 * DAY_MS).toISOString() }));
  });

  it("the scheduler's deletions and rotations", async () => {
    const T0 = new Date("2033-05-01T12:00:00Z");
    freezeClock(T0);
    const doomed = await newKeyId();
    await kms("ScheduleKeyDeletion", { KeyId: doomed, PendingWindowInDays: 7 });
    const rotating = await newKeyId();
    await kms("EnableKeyRotation", { KeyId: rotating, RotationPeriodInDays: 90 });
    freezeClock(new Date(T0.getTime() + 400 * DAY_MS));
    for (const [label, run] of [
      ["sweeper", sweepDueDeletions],
      ["rotation", rotateDueKeys],
    ] as const) {
      await blockAudit();
      try {
        const before = await logicalDump();
        await run().catch(() => 0);
        expect(await logicalDump(), `${label}: nothing changed`).toBe(before);
      } finally {
        await unblockAudit();
      }
    }
    // Writable again: both happen, each with its event.
    expect(await sweepDueDeletions()).toBeGreaterThanOrEqual(1);
    expect(await rotateDueKeys()).toBeGreaterThanOrEqual(1);
    for (const [keyId, eventName] of [
      [doomed, "DeleteKey"],
      [rotating, "RotateKey"],
    ]) {
      expect(await prisma.auditEvent.count({ where: { keyId, eventName, eventSource: "kms.amazonaws.com" } })).toBeGreaterThanOrEqual(1);
    }
  });

  it("a refused change leaves the chain intact and the next change commits with its event", async () => {
    const key = await newKeyId();
    await changesNothing("DisableKey", () => kms("DisableKey", { KeyId: key }));
    await kms("DisableKey", { KeyId: key });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key } })).keyState).toBe("Disabled");
    const events = await prisma.auditEvent.findMany({ where: { keyId: key, eventName: "DisableKey" } });
    expect(events).toHaveLength(1);
    const { verifyAuditTrail } = await import("@/lib/audit/verify");
    expect((await verifyAuditTrail()).ok).toBe(true);
  });
});
