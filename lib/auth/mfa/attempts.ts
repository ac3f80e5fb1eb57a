// Second-factor attempts count against the same lockout as passwords: a
// correct password of a user with MFA is no success until the second factor
// is proven, so guessing codes (or passwords and codes in turn) locks the
// account after `lockoutPolicy.threshold` failures like password guessing does.
import { prisma } from "@/lib/db/client";
import { failureDelayMs, lockoutPolicy } from "../sign-in";

export type AttemptResult = { ok: true } | { ok: false; reason: "invalid" | "locked" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lock(userId: string, now: Date, policy: typeof lockoutPolicy): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000), failedSignIns: 0 } });
}

/**
 * Counts the attempt first (one statement, so parallel guesses each get a
 * number), then runs `check`; a success clears the count unless the account
 * was locked meanwhile.
 */
export async function secondFactorAttempt(
  userId: string,
  check: () => Promise<boolean>,
  options: { now?: Date; policy?: typeof lockoutPolicy; markSignIn?: boolean } = {},
): Promise<AttemptResult> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? lockoutPolicy;
  const nowUtc = now.getTime() / 1000;
  const rows = await prisma.$queryRaw<Array<{ failedSignIns: number; lockedUntil: Date | null; disabled: boolean }>>`
    UPDATE "User" SET "failedSignIns" = CASE
      WHEN "lockedUntil" > (to_timestamp(${nowUtc}::float8) AT TIME ZONE 'UTC') THEN "failedSignIns"
      ELSE "failedSignIns" + 1 END
    WHERE "id" = ${userId}::uuid
    RETURNING "failedSignIns", "lockedUntil", "disabled"`;
  const attempt = rows[0];
  if (!attempt) return { ok: false, reason: "invalid" };
  if (attempt.lockedUntil && attempt.lockedUntil > now) return { ok: false, reason: "locked" };
  if (attempt.failedSignIns > policy.threshold) {
    await lock(userId, now, policy);
    return { ok: false, reason: "locked" };
  }
  let valid: boolean;
  try {
    valid = await check();
  } catch (e) {
    // Not the user's failure (the root key is sealed, so a TOTP secret cannot be read; the
    // database went away): the attempt does not count toward the lockout.
    await prisma.user.updateMany({ where: { id: userId, failedSignIns: { gt: 0 } }, data: { failedSignIns: { decrement: 1 } } }).catch(() => undefined);
    throw e;
  }
  if (!valid || attempt.disabled) {
    const locked = attempt.failedSignIns >= policy.threshold;
    if (locked) await lock(userId, now, policy);
    await sleep(failureDelayMs(attempt.failedSignIns, policy));
    return { ok: false, reason: locked ? "locked" : "invalid" };
  }
  const cleared = await prisma.user.updateMany({
    where: { id: userId, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data: { failedSignIns: 0, lockedUntil: null, ...(options.markSignIn ? { lastSignInAt: now } : {}) },
  });
  return cleared.count === 1 ? { ok: true } : { ok: false, reason: "locked" };
}
