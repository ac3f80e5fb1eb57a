// Step-up: sensitive console actions need a second factor proven within the
// last STEP_UP_SECONDS in the same session, when the user has MFA or their
// role requires it. The proof is recorded on the console session
// (ConsoleSession.stepUpAt), so it dies with the session.
//
// Integration points (see README "Sign-in and sessions"):
//   verifyStepUp(store, principal, proof)  — checks a fresh factor, records it
//   requireMfaStepUp(principal)            — throws AccessDeniedException unless recent
import type { KeyStore } from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import { AccessDeniedException } from "@/lib/errors";
import type { Principal } from "../principal";
import { secondFactorAttempt, type AttemptResult } from "./attempts";
import { roleRequiresMfa } from "./required-roles";
import { userHasMfa, verifySecondFactor, type SecondFactorProof } from "./second-factor";

export const STEP_UP_SECONDS = 300;
import { STEP_UP_REQUIRED } from "./step-up-message";

export { STEP_UP_REQUIRED };

/** Whether this principal's sensitive actions need a step-up at all. */
export async function stepUpApplies(principal: Principal): Promise<boolean> {
  if (principal.kind !== "user" || !principal.userId) return false; // the operator at the machine
  return (await userHasMfa(principal.userId)) || (await roleRequiresMfa(principal.role));
}

export async function hasRecentStepUp(principal: Principal, now = new Date()): Promise<boolean> {
  if (!principal.sessionId) return false;
  const session = await prisma.consoleSession.findUnique({ where: { id: principal.sessionId }, select: { stepUpAt: true, userId: true, revokedAt: true } });
  if (!session || session.revokedAt || session.userId !== principal.userId || !session.stepUpAt) return false;
  return now.getTime() - session.stepUpAt.getTime() <= STEP_UP_SECONDS * 1000;
}

/** Throws AccessDeniedException when a step-up applies and none is recent. API callers (no session) are not gated here. */
export async function requireMfaStepUp(principal: Principal): Promise<void> {
  if (!principal.sessionId) return;
  if (!(await stepUpApplies(principal))) return;
  if (await hasRecentStepUp(principal)) return;
  throw new AccessDeniedException(STEP_UP_REQUIRED);
}

/** Verifies a fresh second factor (counted against lockout) and records the step-up on the session. */
export async function verifyStepUp(store: KeyStore, principal: Principal, proof: SecondFactorProof): Promise<AttemptResult> {
  if (!principal.userId || !principal.sessionId) return { ok: false, reason: "invalid" };
  const userId = principal.userId;
  const result = await secondFactorAttempt(userId, () => verifySecondFactor(store, userId, proof));
  if (result.ok) await prisma.consoleSession.update({ where: { id: principal.sessionId }, data: { stepUpAt: new Date() } });
  return result;
}
