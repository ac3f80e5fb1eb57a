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
import type { Principal } from "./principal";

export interface StepUpProof {
  /** The user's password, re-entered for this decision. Never logged or stored. */
  password?: string;
}

export const STEP_UP_REFUSED = "Step-up authentication failed: the password you entered is not correct.";

/** Throws AccessDeniedException unless `proof` re-authenticates `principal` now. */
export async function requireRecentStepUp(principal: Principal, proof: StepUpProof): Promise<void> {
  if (principal.kind !== "user" || !principal.userId) throw new AccessDeniedException("Only a signed-in user can confirm this decision.");
  const user = await prisma.user.findUnique({ where: { id: principal.userId }, select: { passwordHash: true, disabled: true, serviceAccount: true } });
  const password = typeof proof.password === "string" ? proof.password : "";
  if (!user || user.disabled || user.serviceAccount || !password) {
    await verifyPassword(password || "-", await decoyHash()); // the same cost whatever was wrong
    throw new AccessDeniedException(STEP_UP_REFUSED);
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw new AccessDeniedException(STEP_UP_REFUSED);
  await requireMfaStepUp(principal);
}
