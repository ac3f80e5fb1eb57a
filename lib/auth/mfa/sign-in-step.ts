// The sign-in's second step: the password step left a pending handle
// (pending.ts); here a TOTP code, recovery code or passkey assertion for
// that handle's user is checked, counted against lockout, and the handle
// used up. Only then does next-auth issue a session.
import type { KeyStore } from "@/lib/crypto";
import { prisma, type User } from "@/lib/db/client";
import { secondFactorAttempt } from "./attempts";
import { consumePending, findPending, setPendingChallenge } from "./pending";
import { passkeysOf, verifySecondFactor, type SecondFactorMethod, type SecondFactorProof } from "./second-factor";
import { authenticationOptions, type RelyingParty } from "./webauthn";

export const SECOND_STEP_ERRORS = {
  expired: "Your sign-in has expired. Enter your username and password again.",
  invalid: "That code or passkey was not accepted. Try again.",
  locked: "Account locked after repeated failed sign-ins. Try again later or ask an administrator to unlock it.",
} as const;

export type SecondStepResult =
  | { ok: true; user: User; method: SecondFactorMethod }
  | { ok: false; reason: keyof typeof SECOND_STEP_ERRORS; user?: User; method?: SecondFactorMethod };

export interface SecondStepInput {
  mfaToken: unknown;
  method: unknown;
  code?: unknown;
  /** The passkey assertion (PublicKeyCredential JSON), as a string. */
  assertion?: unknown;
}

function proofOf(input: SecondStepInput, challenge: string | null, rp: RelyingParty): SecondFactorProof | null {
  const code = typeof input.code === "string" ? input.code.slice(0, 64) : "";
  if (input.method === "totp") return { kind: "totp", code };
  if (input.method === "recovery") return { kind: "recovery", code };
  if (input.method === "webauthn" && challenge && typeof input.assertion === "string" && input.assertion.length < 16_384) {
    try {
      return { kind: "webauthn", response: JSON.parse(input.assertion), challenge, rp };
    } catch {
      return null;
    }
  }
  return null;
}

export async function completeSecondStep(store: KeyStore, rp: RelyingParty, input: SecondStepInput): Promise<SecondStepResult> {
  const pending = await findPending(input.mfaToken, "signin");
  if (!pending) return { ok: false, reason: "expired" };
  const user = await prisma.user.findUnique({ where: { id: pending.userId } });
  if (!user) return { ok: false, reason: "expired" };
  const proof = proofOf(input, pending.challenge, rp);
  const method = proof?.kind;
  const attempt = await secondFactorAttempt(user.id, async () => !!proof && (await verifySecondFactor(store, user.id, proof)), { markSignIn: true });
  if (!attempt.ok) return { ok: false, reason: attempt.reason, user, method };
  // One handle, one session: a second request with the same handle loses here.
  if (!(await consumePending(pending.id))) return { ok: false, reason: "expired", user, method };
  if (user.disabled || user.serviceAccount) return { ok: false, reason: "invalid", user, method };
  return { ok: true, user: await prisma.user.findUniqueOrThrow({ where: { id: user.id } }), method: method! };
}

/** What the second step can offer this handle's user. */
export async function secondStepMethods(mfaToken: unknown): Promise<{ totp: boolean; passkey: boolean } | null> {
  const pending = await findPending(mfaToken, "signin");
  if (!pending) return null;
  const factors = await prisma.mfaFactor.findMany({ where: { userId: pending.userId, confirmed: true }, select: { type: true } });
  return { totp: factors.some((f) => f.type === "totp"), passkey: factors.some((f) => f.type === "webauthn") };
}

/** Passkey request options for the handle's user; the challenge is kept on the handle. */
export async function secondStepPasskeyOptions(rp: RelyingParty, mfaToken: unknown) {
  const pending = await findPending(mfaToken, "signin");
  if (!pending) return null;
  const passkeys = await passkeysOf(pending.userId);
  if (passkeys.length === 0) return null;
  const options = await authenticationOptions(rp, passkeys);
  await setPendingChallenge(pending.id, options.challenge);
  return options;
}
