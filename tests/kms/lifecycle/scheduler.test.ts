import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { DAY_MS } from "@/lib/kms/clock";
import { scheduleKeyDeletion } from "@/lib/kms/operations/deletion";
import { enableKeyRotation } from "@/lib/kms/operations/rotation";
import { startKeyScheduler } from "@/lib/kms/scheduler";
import { callers, freezeClock, newKey, restoreClock, type Callers } from "./fixtures";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});
afterEach(restoreClock);

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("startKeyScheduler", () => {
  it("sweeps due deletions and rotates due keys periodically until stopped", async () => {
    const T0 = new Date("2033-01-01T00:00:00Z");
    freezeClock(T0);
    const doomed = await newKey(c.keyAdmin);
    const rotating = await newKey(c.keyAdmin);
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: doomed.id, PendingWindowInDays: 7 });
    await enableKeyRotation(c.keyAdmin, { KeyId: rotating.id, RotationPeriodInDays: 90 });

    const scheduler = startKeyScheduler({ intervalMs: 25 });
    try {
      // Several runs happen; nothing is due yet.
      await new Promise((r) => setTimeout(r, 100));
      expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: doomed.id } })).deletedAt).toBeNull();
      expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: rotating.id } })).currentVersion).toBe(1);

      freezeClock(new Date(T0.getTime() + 100 * DAY_MS));
      await until(async () => (await prisma.kmsKey.findUniqueOrThrow({ where: { id: doomed.id } })).deletedAt !== null);
      await until(async () => (await prisma.kmsKey.findUniqueOrThrow({ where: { id: rotating.id } })).currentVersion === 2);
      expect(await prisma.keyMaterial.count({ where: { keyId: doomed.id } })).toBe(0);
    } finally {
      await scheduler.stop();
    }

    // Stopped: no more runs, even when work becomes due.
    const later = await newKey(c.keyAdmin);
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: later.id, PendingWindowInDays: 7 });
    freezeClock(new Date(T0.getTime() + 200 * DAY_MS));
    await new Promise((r) => setTimeout(r, 100));
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: later.id } })).deletedAt).toBeNull();
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: rotating.id } })).currentVersion).toBe(2);
  });

  it("stops cleanly right after starting", async () => {
    const scheduler = startKeyScheduler({ intervalMs: 60_000 });
    await scheduler.stop();
    await scheduler.stop();
  });
});
