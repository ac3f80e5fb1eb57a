// Step-up through the service layer: proving a fresh second factor
// (audited as CheckMfa, never the code), passkey options for it, and the
// gate sensitive console actions pass through, whose denial is audited under
// the action's own event name.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { createPending, consumePending, findPending } from "@/lib/auth/mfa/pending";
import { passkeysOf, type SecondFactorProof } from "@/lib/auth/mfa/second-factor";
import { requireMfaStepUp, stepUpApplies, verifyStepUp, STEP_UP_REQUIRED } from "@/lib/auth/mfa/step-up";
import { authenticationOptions, relyingParty } from "@/lib/auth/mfa/webauthn";
import { audited, writeAuditEvent } from "@/lib/audit";
import { AccessDeniedException, ValidationException } from "@/lib/errors";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { validate } from "@/lib/access/validate";

export { STEP_UP_REQUIRED };

/** The key operations of issue 12 that need a recent step-up from console users with MFA. */
export const SENSITIVE_KMS_OPERATIONS: ReadonlySet<string> = new Set([
  "ScheduleKeyDeletion",
  "PutKeyPolicy",
  "DisableKey",
  "DeleteImportedKeyMaterial",
  "ImportKeyMaterial",
]);

const stepUpSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: z.string().max(16) }),
  z.object({ method: z.literal("recovery"), code: z.string().max(64) }),
  z.object({ method: z.literal("webauthn"), handle: z.string().max(128), assertion: z.record(z.string(), z.unknown()), origin: z.string().max(512).optional() }),
]);

function sessionUser(caller: Principal): string {
  if (caller.kind !== "user" || !caller.userId || !caller.sessionId) throw new ValidationException("Step-up is for console sessions");
  return caller.userId;
}

/** Proves a fresh second factor for this session (counted against lockout like sign-in). */
export async function stepUp(caller: Principal, input: unknown): Promise<{ verified: true }> {
  const method = (input as { method?: unknown } | null)?.method;
  // Recorded like a read (after the fact, not in a transaction): a failed attempt's lockout count
  // must stay written although the call fails, as for sign-in.
  return audited({ eventName: "CheckMfa", eventSource: "signin.amazonaws.com", caller, via: "console", request: { method, purpose: "step-up" }, readOnly: true }, async () => {
    const userId = sessionUser(caller);
    const parsed = validate(stepUpSchema, input);
    let proof: SecondFactorProof;
    if (parsed.method === "webauthn") {
      const pending = await findPending(parsed.handle, "step-up");
      if (!pending || pending.userId !== userId || !pending.challenge || !(await consumePending(pending.id))) {
        throw new ValidationException("The passkey request expired: try again");
      }
      proof = { kind: "webauthn", response: parsed.assertion, challenge: pending.challenge, rp: relyingParty(parsed.origin) };
    } else {
      proof = { kind: parsed.method, code: parsed.code };
    }
    const result = await verifyStepUp(await rootKeyStore(), caller, proof);
    if (!result.ok) {
      throw new AccessDeniedException(result.reason === "locked" ? "Account locked after repeated failed attempts." : "That code or passkey was not accepted.");
    }
    return { verified: true as const };
  });
}

/** Passkey request options for a step-up of this session's user. */
export async function stepUpPasskeyOptions(caller: Principal, input: unknown): Promise<{ handle: string; options: unknown } | null> {
  return audited({ eventName: "CreatePasskeyChallenge", eventSource: "signin.amazonaws.com", caller, via: "console", request: { purpose: "step-up" }, recordedResponse: () => ({}) }, async () => {
    const userId = sessionUser(caller);
    const origin = (input as { origin?: unknown } | null)?.origin;
    const passkeys = await passkeysOf(userId);
    if (passkeys.length === 0) return null;
    const options = await authenticationOptions(relyingParty(typeof origin === "string" ? origin : undefined), passkeys);
    return { handle: await createPending(userId, "step-up", options.challenge), options };
  });
}

/** Whether this principal's sensitive actions need a step-up (for the console to say so up front). */
export { stepUpApplies };

/**
 * Creating an access key from the console needs a recent step-up, whoever it
 * is for (when a step-up applies to the caller): the key outlives the
 * session, and API calls signed with it are never asked for a second factor,
 * so a stolen session must not be able to mint one.
 */
export async function requireStepUpForAccessKey(caller: Principal, username: string | undefined): Promise<void> {
  await requireStepUpFor(caller, "CreateAccessKey", "iam.amazonaws.com", { userName: username ?? caller.username });
}

/**
 * The gate of a sensitive console action: passes when a recent step-up is
 * on the session (or none applies); otherwise records the denial under the
 * action's event name and throws AccessDeniedException(STEP_UP_REQUIRED).
 */
export async function requireStepUpFor(caller: Principal, eventName: string, eventSource: string, request: unknown): Promise<void> {
  try {
    await requireMfaStepUp(caller);
  } catch (e) {
    const err = e as Error;
    await writeAuditEvent({ eventName, eventSource, caller, via: "console", readOnly: false, sourceIp: caller.sourceIp, userAgent: caller.userAgent, request, error: { name: err.name, message: err.message } });
    throw e;
  }
}
