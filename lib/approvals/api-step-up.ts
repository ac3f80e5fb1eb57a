// Step-up for a decision made through the API. The SigV4 signature already
// proves the access key; there is no console session to hold a recent second
// factor, so an approver who has MFA (or whose role requires it) sends a
// current TOTP code with the decision itself (MfaCode). The attempt counts
// toward the same lockout as sign-in, so run this outside the decision's
// transaction: a refused decision rolls back, the count must not.
import type { Principal } from "@/lib/auth/principal";
import { secondFactorAttempt } from "@/lib/auth/mfa/attempts";
import { verifySecondFactor } from "@/lib/auth/mfa/second-factor";
import { stepUpApplies } from "@/lib/auth/mfa/step-up";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { prisma } from "@/lib/db/client";
import { AccessDeniedException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";

/** Throws AccessDeniedException unless the API caller needs no second factor or `mfaCode` is a fresh TOTP code of theirs. */
export async function requireApiStepUp(caller: Principal, mfaCode: unknown): Promise<void> {
  if (caller.kind !== "user" || !caller.userId) return; // the decision itself refuses non-users
  if (!(await stepUpApplies(caller))) return;
  const userId = caller.userId;
  if (typeof mfaCode !== "string" || !mfaCode.trim()) throw new AccessDeniedException(messages.approvalMfaCodeRequired);
  const authenticators = await prisma.mfaFactor.count({ where: { userId, type: "totp", confirmed: true } });
  if (authenticators === 0) throw new AccessDeniedException(messages.approvalMfaNoAuthenticator);
  const store = await rootKeyStore();
  const result = await secondFactorAttempt(userId, () => verifySecondFactor(store, userId, { kind: "totp", code: mfaCode }));
  if (!result.ok) throw new AccessDeniedException(result.reason === "locked" ? messages.approvalMfaLocked : messages.approvalMfaCodeRejected);
}
