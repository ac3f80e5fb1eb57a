import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { DAY_MS } from "@/lib/kms/clock";
import { kmsOperations } from "@/lib/kms";
import { createAlias, listAliases } from "@/lib/kms/operations/aliases";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { cancelKeyDeletion, scheduleKeyDeletion, sweepDueDeletions } from "@/lib/kms/operations/deletion";
import { describeKey } from "@/lib/kms/operations/describe-key";
import { enableKeyRotation, getKeyRotationStatus } from "@/lib/kms/operations/rotation";
import { listResourceTags } from "@/lib/kms/operations/tags";
import { callers, decryptText, encryptText, freezeClock, newKey, rejection, restoreClock, type Callers } from "./fixtures";
import { auditEvents } from "../../support/audit-rows";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});
afterEach(restoreClock);

const T0 = new Date("2031-03-01T12:00:00Z");

describe("ScheduleKeyDeletion", () => {
  it("schedules with the default 30-day window and answers the AWS shape", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    const out = await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id });
    expect(out).toEqual({
      KeyId: key.arn,
      DeletionDate: new Date(T0.getTime() + 30 * DAY_MS),
      KeyState: "PendingDeletion",
      PendingWindowInDays: 30,
    });
    const meta = (await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata;
    expect(meta).toMatchObject({ KeyState: "PendingDeletion", Enabled: false, PendingDeletionWindowInDays: 30 });
    expect(meta.DeletionDate).toEqual(out.DeletionDate);
    // A key pending deletion cannot be used.
    expect((await rejection(encryptText(c.keyUser, key.id, "x"))).name).toBe("KMSInvalidStateException");
  });

  it.each([7, 30])("accepts a %i-day window", async (days) => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    const out = await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.arn, PendingWindowInDays: days });
    expect(out.DeletionDate).toEqual(new Date(T0.getTime() + days * DAY_MS));
    expect(out.PendingWindowInDays).toBe(days);
  });

  it.each([6, 31, 0, 365, 7.5])("rejects a %s-day window with ValidationException", async (days) => {
    const key = await newKey(c.keyAdmin);
    const e = await rejection(scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: days }));
    expect(e.name).toBe("ValidationException");
    expect(e.message).toContain("'pendingWindowInDays'");
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata.KeyState).toBe("Enabled");
  });

  it("refuses a key that is already pending deletion, and aliases as KeyId", async () => {
    const key = await newKey(c.keyAdmin);
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: 7 });
    const again = await rejection(scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id }));
    expect(again.name).toBe("KMSInvalidStateException");
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).pendingWindowInDays).toBe(7);

    const other = await newKey(c.keyAdmin);
    const alias = `alias/del-${other.id}`;
    await createAlias(c.keyAdmin, { AliasName: alias, TargetKeyId: other.id });
    expect((await rejection(scheduleKeyDeletion(c.keyAdmin, { KeyId: alias }))).name).toBe("NotFoundException");
  });

  it("schedules a disabled key", async () => {
    const key = await newKey(c.keyAdmin);
    await kmsOperations.DisableKey!(c.keyAdmin, { KeyId: key.id });
    expect((await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id })).KeyState).toBe("PendingDeletion");
  });
});

describe("CancelKeyDeletion", () => {
  it("returns the key to Disabled and clears the deletion date", async () => {
    const key = await newKey(c.keyAdmin);
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id });
    expect(await cancelKeyDeletion(c.keyAdmin, { KeyId: key.arn })).toEqual({ KeyId: key.arn });
    const meta = (await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata;
    expect(meta.KeyState).toBe("Disabled");
    expect(meta.DeletionDate).toBeUndefined();
    expect(meta.PendingDeletionWindowInDays).toBeUndefined();
    expect((await rejection(encryptText(c.keyUser, key.id, "x"))).name).toBe("DisabledException");
    await kmsOperations.EnableKey!(c.keyAdmin, { KeyId: key.id });
    expect(await decryptText(c.keyUser, (await encryptText(c.keyUser, key.id, "back")).CiphertextBlob)).toBe("back");
  });

  it("refuses a key that is not pending deletion", async () => {
    const key = await newKey(c.keyAdmin);
    const e = await rejection(cancelKeyDeletion(c.keyAdmin, { KeyId: key.id }));
    expect(e.name).toBe("KMSInvalidStateException");
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata.KeyState).toBe("Enabled");
  });

  it("restores the rotation status that pending deletion hid", async () => {
    const key = await newKey(c.keyAdmin);
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id });
    expect((await getKeyRotationStatus(c.auditor, { KeyId: key.id })).KeyRotationEnabled).toBe(false);
    await cancelKeyDeletion(c.keyAdmin, { KeyId: key.id });
    expect((await getKeyRotationStatus(c.auditor, { KeyId: key.id })).KeyRotationEnabled).toBe(true);
  });
});

describe("sweepDueDeletions", () => {
  it("does nothing before the deletion date and destroys the key after it (crypto-shredding)", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin, { Tags: [{ TagKey: "doomed", TagValue: "yes" }] });
    const alias = `alias/shred-${key.id}`;
    await createAlias(c.keyAdmin, { AliasName: alias, TargetKeyId: key.id });
    const context = { purpose: "test" };
    const blob = (await encryptText(c.keyUser, key.id, "secret payload", context)).CiphertextBlob;
    expect(await decryptText(c.keyUser, blob, context)).toBe("secret payload");
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: 7 });

    // One millisecond before the date: nothing happens.
    freezeClock(new Date(T0.getTime() + 7 * DAY_MS - 1));
    await sweepDueDeletions();
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata.KeyState).toBe("PendingDeletion");
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(1);
    // Cancelling is still possible, and rescheduling too.
    await cancelKeyDeletion(c.keyAdmin, { KeyId: key.id });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: 7 });
    const due = new Date(T0.getTime() + 14 * DAY_MS - 1);

    freezeClock(due);
    expect(await sweepDueDeletions()).toBeGreaterThanOrEqual(1);
    expect(await sweepDueDeletions()).toBe(0); // idempotent

    for (const call of [
      () => describeKey(c.auditor, { KeyId: key.id }),
      () => describeKey(c.auditor, { KeyId: key.arn }),
      () => describeKey(c.auditor, { KeyId: alias }),
      () => encryptText(c.keyUser, key.id, "more"),
      () => decrypt(c.keyUser, { CiphertextBlob: blob, EncryptionContext: context }),
      () => cancelKeyDeletion(c.keyAdmin, { KeyId: key.id }),
      () => listResourceTags(c.auditor, { KeyId: key.id }),
    ]) {
      expect((await rejection(call())).name).toBe("NotFoundException");
    }
    // The material is destroyed, not hidden: no wrapped copy remains.
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(0);
    expect(await prisma.alias.count({ where: { keyId: key.id } })).toBe(0);
    expect(await prisma.keyTag.count({ where: { keyId: key.id } })).toBe(0);
    expect((await listAliases(c.auditor, {})).Aliases.some((a) => a.AliasName === alias)).toBe(false);
    const row = await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.deletedAt).toEqual(due);

    // Even someone who resurrects the key row cannot decrypt: the material is gone.
    await prisma.kmsKey.update({ where: { id: key.id }, data: { deletedAt: null, keyState: "Enabled" } });
    try {
      const e = await rejection(decrypt(c.keyUser, { CiphertextBlob: blob, EncryptionContext: context }));
      expect(e.name).toBe("InvalidCiphertextException");
    } finally {
      await prisma.kmsKey.update({ where: { id: key.id }, data: { deletedAt: due, keyState: "PendingDeletion" } });
    }
    // The alias name is free again.
    restoreClock();
    const fresh = await newKey(c.keyAdmin);
    await createAlias(c.keyAdmin, { AliasName: alias, TargetKeyId: fresh.id });
  });

  it("leaves cancelled, other and not-yet-due keys alone", async () => {
    freezeClock(T0);
    const [cancelled, later, untouched] = [await newKey(c.keyAdmin), await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: cancelled.id, PendingWindowInDays: 7 });
    await cancelKeyDeletion(c.keyAdmin, { KeyId: cancelled.id });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: later.id, PendingWindowInDays: 30 });
    freezeClock(new Date(T0.getTime() + 8 * DAY_MS));
    await sweepDueDeletions();
    expect((await describeKey(c.auditor, { KeyId: cancelled.id })).KeyMetadata.KeyState).toBe("Disabled");
    expect((await describeKey(c.auditor, { KeyId: later.id })).KeyMetadata.KeyState).toBe("PendingDeletion");
    expect((await describeKey(c.auditor, { KeyId: untouched.id })).KeyMetadata.KeyState).toBe("Enabled");
    expect(await prisma.keyMaterial.count({ where: { keyId: { in: [cancelled.id, later.id, untouched.id] } } })).toBe(3);
  });

  it("destroys nothing whose deletion cannot be recorded, and records each one it destroys (fail closed)", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: 7 });
    freezeClock(new Date(T0.getTime() + 7 * DAY_MS));
    await prisma.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit table is read-only'; END $$`,
    );
    await prisma.$executeRawUnsafe(`CREATE TRIGGER audit_unwritable BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_refuse()`);
    try {
      await sweepDueDeletions();
      expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(1);
      expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).deletedAt).toBeNull();
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS audit_unwritable ON "AuditEvent"`);
    }
    expect(await sweepDueDeletions()).toBeGreaterThanOrEqual(1);
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(0);
    const events = await auditEvents({ where: { keyId: key.id, eventName: "DeleteKey" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.record)).toMatchObject({ eventType: "AwsServiceEvent", userIdentity: { type: "AWSService" } });
  });

  it("destroys each key once when several sweepers run at the same time", async () => {
    freezeClock(T0);
    const keys = [await newKey(c.keyAdmin), await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    for (const k of keys) await scheduleKeyDeletion(c.keyAdmin, { KeyId: k.id, PendingWindowInDays: 7 });
    freezeClock(new Date(T0.getTime() + 7 * DAY_MS));
    // Drain anything other tests left due at this date, then race three sweepers.
    const counts = await Promise.all([sweepDueDeletions(), sweepDueDeletions(), sweepDueDeletions()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(keys.length);
    const rows = await prisma.kmsKey.findMany({ where: { id: { in: keys.map((k) => k.id) } } });
    expect(rows.every((r) => r.deletedAt !== null)).toBe(true);
    expect(await prisma.keyMaterial.count({ where: { keyId: { in: keys.map((k) => k.id) } } })).toBe(0);
  });
});
