import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseSymmetricHeader } from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import { DAY_MS } from "@/lib/kms/clock";
import { kmsOperations } from "@/lib/kms";
import { createAlias } from "@/lib/kms/operations/aliases";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { scheduleKeyDeletion } from "@/lib/kms/operations/deletion";
import { describeKey } from "@/lib/kms/operations/describe-key";
import { generateDataKey } from "@/lib/kms/operations/generate-data-key";
import {
  disableKeyRotation,
  enableKeyRotation,
  getKeyRotationStatus,
  listKeyRotations,
  MAX_ON_DEMAND_ROTATIONS,
  rotateDueKeys,
  rotateKeyOnDemand,
} from "@/lib/kms/operations/rotation";
import { keyMaterialId } from "@/lib/kms/metadata";
import { callers, decryptText, encryptText, freezeClock, newKey, rejection, restoreClock, type Callers } from "./fixtures";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});
afterEach(restoreClock);

const T0 = new Date("2032-06-01T00:00:00Z");

describe("EnableKeyRotation / DisableKeyRotation / GetKeyRotationStatus", () => {
  it("enables with the default 365-day period, reports it, and disables", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    expect(await getKeyRotationStatus(c.auditor, { KeyId: key.id })).toEqual({ KeyRotationEnabled: false, KeyId: key.arn });
    expect(await enableKeyRotation(c.keyAdmin, { KeyId: key.id })).toEqual({});
    expect(await getKeyRotationStatus(c.keyUser, { KeyId: key.arn })).toEqual({
      KeyRotationEnabled: true,
      KeyId: key.arn,
      RotationPeriodInDays: 365,
      NextRotationDate: new Date(T0.getTime() + 365 * DAY_MS),
    });
    expect(await disableKeyRotation(c.keyAdmin, { KeyId: key.arn })).toEqual({});
    expect(await getKeyRotationStatus(c.auditor, { KeyId: key.id })).toEqual({ KeyRotationEnabled: false, KeyId: key.arn });
  });

  it.each([90, 2560])("accepts a %i-day period", async (days) => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: days });
    const status = await getKeyRotationStatus(c.auditor, { KeyId: key.id });
    expect(status.RotationPeriodInDays).toBe(days);
    expect(status.NextRotationDate).toEqual(new Date(T0.getTime() + days * DAY_MS));
  });

  it.each([89, 2561])("rejects a %i-day period with ValidationException", async (days) => {
    const key = await newKey(c.keyAdmin);
    const e = await rejection(enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: days }));
    expect(e.name).toBe("ValidationException");
    expect(e.message).toContain("'rotationPeriodInDays'");
    expect((await getKeyRotationStatus(c.auditor, { KeyId: key.id })).KeyRotationEnabled).toBe(false);
  });

  it("changes the period of an enabled key from the same starting point", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: 180 });
    freezeClock(new Date(T0.getTime() + 10 * DAY_MS));
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: 90 });
    expect((await getKeyRotationStatus(c.auditor, { KeyId: key.id })).NextRotationDate).toEqual(
      new Date(T0.getTime() + 90 * DAY_MS),
    );
    // Enabling again without a period keeps the schedule.
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id });
    expect(await getKeyRotationStatus(c.auditor, { KeyId: key.id })).toMatchObject({
      RotationPeriodInDays: 90,
      NextRotationDate: new Date(T0.getTime() + 90 * DAY_MS),
    });
  });

  it("refuses disabled keys (DisabledException) and keys pending deletion (KMSInvalidStateException)", async () => {
    const disabled = await newKey(c.keyAdmin);
    await kmsOperations.DisableKey!(c.keyAdmin, { KeyId: disabled.id });
    expect((await rejection(enableKeyRotation(c.keyAdmin, { KeyId: disabled.id }))).name).toBe("DisabledException");
    expect((await rejection(disableKeyRotation(c.keyAdmin, { KeyId: disabled.id }))).name).toBe("DisabledException");
    expect((await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: disabled.id }))).name).toBe("DisabledException");
    expect((await getKeyRotationStatus(c.auditor, { KeyId: disabled.id })).KeyRotationEnabled).toBe(false);

    const pending = await newKey(c.keyAdmin);
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: pending.id });
    for (const op of [enableKeyRotation, disableKeyRotation, rotateKeyOnDemand]) {
      expect((await rejection(op(c.keyAdmin, { KeyId: pending.id }))).name).toBe("KMSInvalidStateException");
    }
  });

  it("answers UnsupportedOperationException for keys that are not symmetric encryption keys", async () => {
    const specs = [
      { KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" },
      { KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" },
      { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" },
    ];
    for (const spec of specs) {
      const key = await newKey(c.keyAdmin, spec);
      for (const call of [
        () => enableKeyRotation(c.keyAdmin, { KeyId: key.id }),
        () => disableKeyRotation(c.keyAdmin, { KeyId: key.id }),
        () => getKeyRotationStatus(c.auditor, { KeyId: key.id }),
        () => rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }),
        () => listKeyRotations(c.auditor, { KeyId: key.id }),
      ]) {
        expect((await rejection(call())).name).toBe("UnsupportedOperationException");
      }
      expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(1);
    }
  });

  it("takes a key ID or key ARN, not an alias", async () => {
    const key = await newKey(c.keyAdmin);
    const alias = `alias/rot-${key.id}`;
    await createAlias(c.keyAdmin, { AliasName: alias, TargetKeyId: key.id });
    for (const call of [
      () => enableKeyRotation(c.keyAdmin, { KeyId: alias }),
      () => getKeyRotationStatus(c.auditor, { KeyId: alias }),
      () => rotateKeyOnDemand(c.keyAdmin, { KeyId: alias }),
    ]) {
      expect((await rejection(call())).name).toBe("NotFoundException");
    }
  });
});

describe("RotateKeyOnDemand", () => {
  it("adds a new current version; every earlier ciphertext still decrypts", async () => {
    const key = await newKey(c.keyAdmin);
    const blobs: Uint8Array[] = [];
    const first = await encryptText(c.keyUser, key.id, "v1 secret", { n: "1" });
    blobs.push(first.CiphertextBlob);
    expect(parseSymmetricHeader(first.CiphertextBlob).materialVersion).toBe(1);

    for (let v = 2; v <= 4; v++) {
      expect(await rotateKeyOnDemand(c.keyAdmin, { KeyId: key.arn })).toEqual({ KeyId: key.arn });
      const meta = (await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata;
      expect(meta.CurrentKeyMaterialId).toBe(keyMaterialId(key.id, v));
      const out = await encryptText(c.keyUser, key.id, `v${v} secret`, { n: String(v) });
      expect(parseSymmetricHeader(out.CiphertextBlob)).toEqual({ keyId: key.id, materialVersion: v });
      blobs.push(out.CiphertextBlob);
      const dk = await generateDataKey(c.keyUser, { KeyId: key.id, KeySpec: "AES_256" });
      expect(dk.KeyMaterialId).toBe(keyMaterialId(key.id, v));
    }
    for (const [i, blob] of blobs.entries()) {
      const out = await decrypt(c.keyUser, { CiphertextBlob: blob, EncryptionContext: { n: String(i + 1) } });
      expect(Buffer.from(out.Plaintext).toString()).toBe(`v${i + 1} secret`);
      expect(out.KeyMaterialId).toBe(keyMaterialId(key.id, i + 1));
    }
    const versions = await prisma.keyMaterial.findMany({ where: { keyId: key.id }, orderBy: { version: "asc" } });
    expect(versions.map((m) => [m.version, m.rotationType])).toEqual([
      [1, null],
      [2, "ON_DEMAND"],
      [3, "ON_DEMAND"],
      [4, "ON_DEMAND"],
    ]);
    // Distinct material per version: the same plaintext gives different blobs, each bound to its version.
    expect(new Set(versions.map((m) => Buffer.from(m.wrapped).toString("hex"))).size).toBe(4);
  });

  it(`allows ${MAX_ON_DEMAND_ROTATIONS} on-demand rotations per key; the next is LimitExceededException`, async () => {
    const key = await newKey(c.keyAdmin);
    for (let i = 0; i < MAX_ON_DEMAND_ROTATIONS; i++) await rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id });
    const e = await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }));
    expect(e.name).toBe("LimitExceededException");
    const row = await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.currentVersion).toBe(MAX_ON_DEMAND_ROTATIONS + 1);
    expect(row.onDemandRotations).toBe(MAX_ON_DEMAND_ROTATIONS);
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(MAX_ON_DEMAND_ROTATIONS + 1);
  });

  it("gives concurrent rotations distinct versions", async () => {
    const key = await newKey(c.keyAdmin);
    await Promise.all(Array.from({ length: 5 }, () => rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id })));
    const row = await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.currentVersion).toBe(6);
    expect(row.onDemandRotations).toBe(5);
    const versions = await prisma.keyMaterial.findMany({ where: { keyId: key.id }, select: { version: true } });
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await decryptText(c.keyUser, (await encryptText(c.keyUser, key.id, "ok")).CiphertextBlob)).toBe("ok");
  });

  it("is refused with ConflictException when an automatic rotation is due within 20 minutes", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: 90 });
    freezeClock(new Date(T0.getTime() + 90 * DAY_MS - 10 * 60 * 1000));
    expect((await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).name).toBe("ConflictException");
    freezeClock(new Date(T0.getTime() + 30 * DAY_MS));
    await rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id });
    // On-demand rotation leaves the automatic schedule unchanged.
    expect((await getKeyRotationStatus(c.auditor, { KeyId: key.id })).NextRotationDate).toEqual(
      new Date(T0.getTime() + 90 * DAY_MS),
    );
  });
});

describe("ListKeyRotations", () => {
  it("lists completed rotations (not the first material) with dates and types, paginated", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    expect(await listKeyRotations(c.auditor, { KeyId: key.id })).toEqual({ Rotations: [], Truncated: false });
    const dates: Date[] = [];
    for (let i = 1; i <= 3; i++) {
      const at = new Date(T0.getTime() + i * DAY_MS);
      freezeClock(at);
      await rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id });
      dates.push(at);
    }
    const all = await listKeyRotations(c.keyUser, { KeyId: key.arn });
    expect(all).toEqual({
      Rotations: [2, 3, 4].map((v, i) => ({
        KeyId: key.arn,
        KeyMaterialId: keyMaterialId(key.id, v),
        KeyMaterialState: v === 4 ? "CURRENT" : "NON_CURRENT",
        RotationDate: dates[i],
        RotationType: "ON_DEMAND",
      })),
      Truncated: false,
    });

    const p1 = await listKeyRotations(c.auditor, { KeyId: key.id, Limit: 2 });
    expect(p1.Rotations.map((r) => r.KeyMaterialId)).toEqual([keyMaterialId(key.id, 2), keyMaterialId(key.id, 3)]);
    expect(p1.Truncated).toBe(true);
    const p2 = await listKeyRotations(c.auditor, { KeyId: key.id, Limit: 2, Marker: p1.NextMarker });
    expect(p2.Rotations.map((r) => r.KeyMaterialId)).toEqual([keyMaterialId(key.id, 4)]);
    expect(p2.Truncated).toBe(false);

    const withFirst = await listKeyRotations(c.auditor, { KeyId: key.id, IncludeKeyMaterial: "ALL_KEY_MATERIAL" });
    expect(withFirst.Rotations[0]).toEqual({
      KeyId: key.arn,
      KeyMaterialId: keyMaterialId(key.id, 1),
      KeyMaterialState: "NON_CURRENT",
    });
    expect(withFirst.Rotations).toHaveLength(4);

    expect((await rejection(listKeyRotations(c.auditor, { KeyId: key.id, Marker: "nope" }))).name).toBe(
      "InvalidMarkerException",
    );
    expect((await rejection(listKeyRotations(c.auditor, { KeyId: key.id, Limit: 1001 }))).name).toBe("ValidationException");
  });
});

describe("rotateDueKeys (automatic rotation)", () => {
  it("rotates keys whose NextRotationDate has passed and moves the date one period on", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    const notDue = await newKey(c.keyAdmin);
    const off = await newKey(c.keyAdmin);
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: 90 });
    await enableKeyRotation(c.keyAdmin, { KeyId: notDue.id, RotationPeriodInDays: 180 });
    const before = (await encryptText(c.keyUser, key.id, "before rotation")).CiphertextBlob;

    // Just before the date: nothing.
    freezeClock(new Date(T0.getTime() + 90 * DAY_MS - 1));
    await rotateDueKeys();
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).currentVersion).toBe(1);

    const due = new Date(T0.getTime() + 90 * DAY_MS + 5000);
    freezeClock(due);
    expect(await rotateDueKeys()).toBeGreaterThanOrEqual(1);
    expect(await rotateDueKeys()).toBe(0); // nothing due any more

    expect(await getKeyRotationStatus(c.auditor, { KeyId: key.id })).toMatchObject({
      KeyRotationEnabled: true,
      NextRotationDate: new Date(T0.getTime() + 180 * DAY_MS),
    });
    const rotations = await listKeyRotations(c.auditor, { KeyId: key.id });
    expect(rotations.Rotations).toEqual([
      { KeyId: key.arn, KeyMaterialId: keyMaterialId(key.id, 2), KeyMaterialState: "CURRENT", RotationDate: due, RotationType: "AUTOMATIC" },
    ]);
    const after = await encryptText(c.keyUser, key.id, "after rotation");
    expect(parseSymmetricHeader(after.CiphertextBlob).materialVersion).toBe(2);
    expect(await decryptText(c.keyUser, before)).toBe("before rotation");
    expect(await decryptText(c.keyUser, after.CiphertextBlob)).toBe("after rotation");

    for (const other of [notDue, off]) {
      expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: other.id } })).currentVersion).toBe(1);
    }
  });

  it("skips disabled keys and rotates them at once (then a period from now) when re-enabled", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: 90 });
    await kmsOperations.DisableKey!(c.keyAdmin, { KeyId: key.id });
    const late = new Date(T0.getTime() + 400 * DAY_MS);
    freezeClock(late);
    await rotateDueKeys();
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).currentVersion).toBe(1);
    await kmsOperations.EnableKey!(c.keyAdmin, { KeyId: key.id });
    await rotateDueKeys();
    const row = await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.currentVersion).toBe(2);
    expect(row.nextRotationDate).toEqual(new Date(late.getTime() + 90 * DAY_MS));
  });

  it("never rotates keys pending deletion", async () => {
    freezeClock(T0);
    const key = await newKey(c.keyAdmin);
    await enableKeyRotation(c.keyAdmin, { KeyId: key.id, RotationPeriodInDays: 90 });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: 30 });
    freezeClock(new Date(T0.getTime() + 91 * DAY_MS)); // past both dates; only rotation runs here
    await rotateDueKeys();
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(1);
  });

  it("rotates each due key once when several instances run it at the same time", async () => {
    freezeClock(T0);
    const keys = [await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    for (const k of keys) await enableKeyRotation(c.keyAdmin, { KeyId: k.id, RotationPeriodInDays: 90 });
    freezeClock(new Date(T0.getTime() + 90 * DAY_MS));
    await Promise.all([rotateDueKeys(), rotateDueKeys(), rotateDueKeys()]);
    for (const k of keys) {
      expect(await prisma.keyMaterial.count({ where: { keyId: k.id } })).toBe(2);
      expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: k.id } })).currentVersion).toBe(2);
    }
  });
});
