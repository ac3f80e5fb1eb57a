import { beforeEach, describe, expect, it } from "vitest";
import { checkCredentials, failureDelayMs, lockoutPolicy } from "@/lib/auth/sign-in";
import { unlockUser } from "@/lib/access/users";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";

// No sleeping in tests: same thresholds, zero delays.
const policy = { ...lockoutPolicy, delayBaseMs: 0, delayMaxMs: 0 };

describe("sign-in lockout", () => {
  let username: string;
  let userId: string;
  beforeEach(async () => {
    const { user } = await makeUser("KEY_USER", { password: "right password 1" });
    username = user.username;
    userId = user.id;
  });

  it("accepts the right password and records the sign-in", async () => {
    const r = await checkCredentials(username, "right password 1", { policy });
    expect(r.ok).toBe(true);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.lastSignInAt).not.toBeNull();
  });

  it("gives the same answer for an unknown user and a wrong password", async () => {
    expect(await checkCredentials("nobody-here", "whatever", { policy })).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(username, "wrong", { policy })).toEqual({ ok: false, reason: "invalid" });
  });

  it("locks after repeated failures, refuses even the right password, and unlocks after the delay", async () => {
    const now = new Date("2026-01-01T00:00:00Z");
    for (let i = 1; i < policy.threshold; i++) {
      expect((await checkCredentials(username, "wrong", { policy, now })).ok).toBe(false);
    }
    const locking = await checkCredentials(username, "wrong", { policy, now });
    expect(locking).toMatchObject({ ok: false, reason: "locked" });
    expect(await checkCredentials(username, "right password 1", { policy, now })).toMatchObject({ reason: "locked" });
    const later = new Date(now.getTime() + (policy.lockMinutes + 1) * 60_000);
    expect((await checkCredentials(username, "right password 1", { policy, now: later })).ok).toBe(true);
  });

  it("can be unlocked by an administrator", async () => {
    for (let i = 0; i < policy.threshold; i++) await checkCredentials(username, "wrong", { policy });
    expect(await checkCredentials(username, "right password 1", { policy })).toMatchObject({ reason: "locked" });
    await unlockUser(await operator(), { userId });
    expect((await checkCredentials(username, "right password 1", { policy })).ok).toBe(true);
  });

  it("refuses a disabled user even with the right password", async () => {
    await prisma.user.update({ where: { id: userId }, data: { disabled: true } });
    expect(await checkCredentials(username, "right password 1", { policy })).toEqual({ ok: false, reason: "invalid" });
  });

  it("slows each failure down more, up to a cap", () => {
    expect(failureDelayMs(0)).toBe(0);
    expect(failureDelayMs(1)).toBe(lockoutPolicy.delayBaseMs);
    expect(failureDelayMs(2)).toBe(lockoutPolicy.delayBaseMs * 2);
    expect(failureDelayMs(30)).toBe(lockoutPolicy.delayMaxMs);
  });
});
