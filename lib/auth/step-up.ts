// Step-up authentication before a sensitive decision (approving or rejecting
// an approval request): the signed-in user proves again that they are who
// the session says: the user's password, entered in the approval dialog, and
// — when the user has MFA or their role requires it — a second factor proven
// in this session within the last few minutes (lib/auth/mfa/step-up.ts; the
// console answers STEP_UP_REQUIRED by opening its step-up dialog).
import { prisma } from "@/lib/db/client";
import { AccessDeniedException } from "@/lib/errors";
import { requireMfaStepUp } from "./mfa/step-up";
import { decoyHash, verifyPassword } from "./password";
import { currentLockoutPolicy, lockUser } from "./sign-in";
import type { Principal } from "./principal";

export interface StepUpProof {
  /** The user's password, re-entered for this decision. Never logged or stored. */
  password?: string;
}

export const STEP_UP_REFUSED = "Step-up authentication failed: the password you entered is not correct.";

/**
 * Throws AccessDeniedException unless `proof` re-authenticates `principal` now. A wrong password
 * counts toward the same lockout as sign-in (a stolen session must not become a password oracle):
 * call it outside a transaction that a refusal rolls back, or the count is lost.
 */
export async function requireRecentStepUp(principal: Principal, proof: StepUpProof): Promise<void> {
  if (principal.kind !== "user" || !principal.userId) throw new AccessDeniedException("Only a signed-in user can confirm this decision.");
  const user = await prisma.user.findUnique({
    where: { id: principal.userId },
    select: { id: true, passwordHash: true, disabled: true, serviceAccount: true, lockedUntil: true, failedSignIns: true },
  });
  const password = typeof proof.password === "string" ? proof.password : "";
  const now = new Date();
  if (!user || user.disabled || user.serviceAccount || !password) {
    await verifyPassword(password || "-", await decoyHash()); // the same cost whatever was wrong
    throw new AccessDeniedException(STEP_UP_REFUSED);
  }
  if (user.lockedUntil && user.lockedUntil > now) throw new AccessDeniedException(STEP_UP_LOCKED);
  if (!(await verifyPassword(password, user.passwordHash))) {
    const policy = await currentLockoutPolicy();
    const counted = await prisma.user.update({ where: { id: user.id }, data: { failedSignIns: { increment: 1 } }, select: { failedSignIns: true } });
    if (counted.failedSignIns >= policy.threshold) {
      await lockUser(user.id, now, policy);
      throw new AccessDeniedException(STEP_UP_LOCKED);
    }
    throw new AccessDeniedException(STEP_UP_REFUSED);
  }
  if (user.failedSignIns > 0) await prisma.user.update({ where: { id: user.id }, data: { failedSignIns: 0 } });
  await requireMfaStepUp(principal);
}

export const STEP_UP_LOCKED = "Step-up authentication failed: too many wrong passwords; the account is locked for a while.";
