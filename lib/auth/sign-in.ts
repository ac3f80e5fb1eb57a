// Credential check for the sign-in form: slowed after each failure, locked
// after repeated failures, and the same answer, cost and lock behaviour for
// a username that does not exist as for one that does (no enumeration).
import { LRUCache } from "lru-cache";
import { prisma, type User } from "@/lib/db/client";
import { DEFAULT_LOCKOUT, readRuntimeSettings } from "@/lib/settings/runtime";
import { decoyHash, verifyPassword } from "./password";

/** The defaults; threshold and lock duration are Settings an administrator can change (lib/settings/runtime.ts). */
export const lockoutPolicy = {
  /** Failures in a row that lock the account. */
  threshold: DEFAULT_LOCKOUT.threshold,
  /** How long a lock lasts unless an administrator unlocks it sooner. */
  lockMinutes: DEFAULT_LOCKOUT.lockMinutes,
  /** Delay after a failure: base * 2^(failures-1), capped. */
  delayBaseMs: 200,
  delayMaxMs: 3000,
};

/** What CloudTrail records as userName for a failed sign-in of a user that does not exist. */
export const HIDDEN_USER_NAME = "HIDDEN_DUE_TO_SECURITY_REASONS";

export type SignInResult =
  // secondFactor: the password was right, but the sign-in is no success until a second factor is proven.
  | { ok: true; user: User; secondFactor: boolean }
  // knownUser is for the audit record only: it never changes the answer.
  | { ok: false; reason: "invalid" | "locked"; lockedUntil?: Date; knownUser: boolean };

export function failureDelayMs(failures: number, policy = lockoutPolicy): number {
  if (failures <= 0) return 0;
  return Math.min(policy.delayBaseMs * 2 ** (failures - 1), policy.delayMaxMs);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lockEnd = (now: Date, policy: typeof lockoutPolicy) => new Date(now.getTime() + policy.lockMinutes * 60_000);

interface Attempt {
  id: string;
  passwordHash: string;
  disabled: boolean;
  serviceAccount: boolean;
  /** Failures counted so far, this attempt included (it counts until it proves right). */
  failedSignIns: number;
  lockedUntil: Date | null;
}

/**
 * Counts the attempt as a failure before the password is looked at, in one
 * statement: concurrent guesses each get their own number, so no more than
 * `threshold` of them are ever verified, however many arrive at once.
 * A locked account's counter is left alone (the lock already answers).
 */
async function claimAttempt(username: string, now: Date): Promise<Attempt | null> {
  // lockedUntil is a UTC timestamp without time zone: compare in UTC whatever the session's zone.
  const nowUtc = now.getTime() / 1000;
  const rows = await prisma.$queryRaw<Attempt[]>`
    UPDATE "User" SET "failedSignIns" = CASE
      WHEN "lockedUntil" > (to_timestamp(${nowUtc}::float8) AT TIME ZONE 'UTC') THEN "failedSignIns"
      ELSE "failedSignIns" + 1 END
    WHERE "username" = ${username}
    RETURNING "id", "passwordHash", "disabled", "serviceAccount", "failedSignIns", "lockedUntil"`;
  return rows[0] ?? null;
}

export async function lockUser(id: string, now: Date, policy: typeof lockoutPolicy): Promise<Date> {
  const lockedUntil = lockEnd(now, policy);
  await prisma.user.update({ where: { id }, data: { lockedUntil, failedSignIns: 0 } });
  return lockedUntil;
}

/**
 * Unknown usernames get the same counter and lock, kept in memory (bounded):
 * "locked" after `threshold` failures must not tell a real name from an
 * invented one. Per process, so lost on restart: enough to keep the
 * answers alike, no data to protect.
 */
const unknownNames = new LRUCache<string, { failures: number; lockedUntil?: Date }>({ max: 50_000 });

async function unknownUserAttempt(username: string, password: string, now: Date, policy: typeof lockoutPolicy): Promise<SignInResult> {
  const entry = unknownNames.get(username) ?? { failures: 0 };
  if (entry.lockedUntil && entry.lockedUntil > now) {
    await sleep(policy.delayBaseMs);
    return { ok: false, reason: "locked", lockedUntil: entry.lockedUntil, knownUser: false };
  }
  entry.failures += 1;
  unknownNames.set(username, entry);
  const failures = entry.failures;
  // Same cost as a real verification, so timing says nothing either.
  if (failures <= policy.threshold) await verifyPassword(password, await decoyHash());
  const lockedUntil = failures >= policy.threshold ? lockEnd(now, policy) : undefined;
  if (lockedUntil) unknownNames.set(username, { failures: 0, lockedUntil });
  await sleep(failureDelayMs(failures, policy));
  return lockedUntil ? { ok: false, reason: "locked", lockedUntil, knownUser: false } : { ok: false, reason: "invalid", knownUser: false };
}

/** The lockout policy with the administrator's threshold and lock duration. */
export async function currentLockoutPolicy(): Promise<typeof lockoutPolicy> {
  const s = await readRuntimeSettings();
  return { ...lockoutPolicy, threshold: s.lockoutThreshold.value, lockMinutes: s.lockoutMinutes.value };
}

export async function checkCredentials(
  username: string,
  password: string,
  options: { now?: Date; policy?: typeof lockoutPolicy } = {},
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? (await currentLockoutPolicy());
  const attempt = await claimAttempt(username, now);
  if (!attempt) return unknownUserAttempt(username, password, now, policy);
  if (attempt.lockedUntil && attempt.lockedUntil > now) {
    await sleep(policy.delayBaseMs);
    return { ok: false, reason: "locked", lockedUntil: attempt.lockedUntil, knownUser: true };
  }
  if (attempt.failedSignIns > policy.threshold) {
    // Earlier attempts, finished or still in flight, used up the allowance:
    // lock without looking at this password.
    const lockedUntil = await lockUser(attempt.id, now, policy);
    await sleep(failureDelayMs(attempt.failedSignIns, policy));
    return { ok: false, reason: "locked", lockedUntil, knownUser: true };
  }
  const valid = await verifyPassword(password, attempt.passwordHash);
  // Service accounts never sign in to the console (their password is nobody's), and say so no differently.
  if (!valid || attempt.disabled || attempt.serviceAccount) {
    const lockedUntil = attempt.failedSignIns >= policy.threshold ? await lockUser(attempt.id, now, policy) : undefined;
    await sleep(failureDelayMs(attempt.failedSignIns, policy));
    return lockedUntil ? { ok: false, reason: "locked", lockedUntil, knownUser: true } : { ok: false, reason: "invalid", knownUser: true };
  }
  // Right password of a user with MFA: the attempt stays counted until the
  // second factor proves it (lib/auth/mfa/attempts.ts clears it then).
  if ((await prisma.mfaFactor.count({ where: { userId: attempt.id, confirmed: true } })) > 0) {
    const user = await prisma.user.findUniqueOrThrow({ where: { id: attempt.id } });
    if (user.lockedUntil && user.lockedUntil > now) return { ok: false, reason: "locked", lockedUntil: user.lockedUntil, knownUser: true };
    return { ok: true, user, secondFactor: true };
  }
  // Right password: the attempt was no failure after all, unless a
  // concurrent one locked the account while this one was being verified.
  const cleared = await prisma.user.updateMany({
    where: { id: attempt.id, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: now },
  });
  const user = await prisma.user.findUniqueOrThrow({ where: { id: attempt.id } });
  if (cleared.count === 0) {
    await sleep(policy.delayBaseMs);
    return { ok: false, reason: "locked", lockedUntil: user.lockedUntil ?? undefined, knownUser: true };
  }
  return { ok: true, user, secondFactor: false };
}
