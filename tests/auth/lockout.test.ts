import { beforeEach, describe, expect, it } from "vitest";
import { checkCredentials, failureDelayMs, lockoutPolicy } from "@/lib/auth/sign-in";
import { unlockUser } from "@/lib/accounts/users";
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
    expect(await checkCredentials(`nobody-${userId}`, "whatever", { policy })).toEqual({ ok: false, reason: "invalid", knownUser: false });
    expect(await checkCredentials(username, "wrong", { policy })).toEqual({ ok: false, reason: "invalid", knownUser: true });
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
    expect(await checkCredentials(username, "right password 1", { policy })).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("cannot be beaten by parallel guesses: once the threshold is reached, even the right password gets no session and the lock stays", async () => {
    // The attacker has used all but one of the allowed failures …
    for (let i = 1; i < policy.threshold; i++) expect(await checkCredentials(username, "wrong", { policy })).toMatchObject({ reason: "invalid" });
    // … then sends 30 guesses at once, the right password last. Each attempt
    // counts before its password is verified, so at most one more is looked at.
    const guesses = [...Array.from({ length: 29 }, (_, i) => `wrong ${i}`), "right password 1"];
    const results = await Promise.all(guesses.map((g) => checkCredentials(username, g, { policy })));
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "locked" });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(user.lastSignInAt).toBeNull();
    expect(await checkCredentials(username, "right password 1", { policy })).toMatchObject({ ok: false, reason: "locked" });
  });

  it("locks an unknown name after as many failures as a real one, with the same answers", async () => {
    const unknown = `nobody-${userId}`;
    const real: string[] = [];
    const invented: string[] = [];
    for (let i = 0; i <= policy.threshold; i++) {
      real.push(((await checkCredentials(username, "wrong", { policy })) as { reason: string }).reason);
      invented.push(((await checkCredentials(unknown, "wrong", { policy })) as { reason: string }).reason);
    }
    expect(real).toEqual(["invalid", "invalid", "invalid", "invalid", "locked", "locked"]);
    expect(invented).toEqual(real);
  });

  it("slows each failure down more, up to a cap", () => {
    expect(failureDelayMs(0)).toBe(0);
    expect(failureDelayMs(1)).toBe(lockoutPolicy.delayBaseMs);
    expect(failureDelayMs(2)).toBe(lockoutPolicy.delayBaseMs * 2);
    expect(failureDelayMs(30)).toBe(lockoutPolicy.delayMaxMs);
  });
});
