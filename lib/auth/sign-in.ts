// Credential check for the sign-in form: constant-cost for unknown users,
// slowed after each failure, locked after repeated failures.
import { prisma, type User } from "@/lib/db/client";
import { decoyHash, verifyPassword } from "./password";

export const lockoutPolicy = {
  /** Failures in a row that lock the account. */
  threshold: 5,
  /** How long a lock lasts unless an administrator unlocks it sooner. */
  lockMinutes: 15,
  /** Delay after a failure: base * 2^(failures-1), capped. */
  delayBaseMs: 200,
  delayMaxMs: 3000,
};

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "locked"; lockedUntil?: Date };

export function failureDelayMs(failures: number, policy = lockoutPolicy): number {
  if (failures <= 0) return 0;
  return Math.min(policy.delayBaseMs * 2 ** (failures - 1), policy.delayMaxMs);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function checkCredentials(
  username: string,
  password: string,
  options: { now?: Date; policy?: typeof lockoutPolicy } = {},
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? lockoutPolicy;
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user) {
    await verifyPassword(password, await decoyHash());
    await sleep(policy.delayBaseMs);
    return { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await sleep(policy.delayBaseMs);
    return { ok: false, reason: "locked", lockedUntil: user.lockedUntil };
  }
  const valid = await verifyPassword(password, user.passwordHash);
  // Service accounts never sign in to the console (their password is nobody's), and say so no differently.
  if (!valid || user.disabled || user.serviceAccount) {
    // Increment in the database, not from the row we read: concurrent
    // guesses must all count.
    const updated = await prisma.user.update({
      where: { id: user.id },
      data: { failedSignIns: { increment: 1 } },
    });
    if (updated.failedSignIns >= policy.threshold) {
      const lockedUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
      await prisma.user.update({ where: { id: user.id }, data: { lockedUntil, failedSignIns: 0 } });
      await sleep(failureDelayMs(updated.failedSignIns, policy));
      return { ok: false, reason: "locked", lockedUntil };
    }
    await sleep(failureDelayMs(updated.failedSignIns, policy));
    return { ok: false, reason: "invalid" };
  }
  const signedIn = await prisma.user.update({
    where: { id: user.id },
    data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: now },
  });
  return { ok: true, user: signedIn };
}
