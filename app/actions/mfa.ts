"use server";

import { headers } from "next/headers";
import {
  beginPasskeyEnrolment,
  beginTotpEnrolment,
  confirmTotpEnrolment,
  finishPasskeyEnrolment,
  getMyMfa,
  regenerateRecoveryCodes,
  removeMyFactor,
} from "@/lib/accounts/mfa-factors";
import { endSession, listSessions } from "@/lib/accounts/sessions";
import { stepUp, stepUpPasskeyOptions } from "@/lib/accounts/step-up";
import { runAction } from "@/lib/console/run";

// Thin doors: the service layer validates, authorizes and records each call.
// The passkey relying party is the browser's origin (Next checks it against Host for actions).
const origin = async () => (await headers()).get("origin") ?? undefined;

export async function getMyMfaAction() {
  return runAction((caller) => getMyMfa(caller));
}

export async function beginTotpAction(input: { name: string }) {
  return runAction((caller) => beginTotpEnrolment(caller, input));
}

export async function confirmTotpAction(input: { factorId: string; code: string }) {
  return runAction((caller) => confirmTotpEnrolment(caller, input));
}

export async function beginPasskeyAction() {
  const o = await origin();
  return runAction((caller) => beginPasskeyEnrolment(caller, { origin: o }));
}

export async function finishPasskeyAction(input: { handle: string; name: string; response: Record<string, unknown> }) {
  const o = await origin();
  return runAction((caller) => finishPasskeyEnrolment(caller, { ...input, origin: o }));
}

export async function removeFactorAction(input: { factorId: string }) {
  return runAction((caller) => removeMyFactor(caller, input));
}

export async function regenerateRecoveryCodesAction() {
  return runAction((caller) => regenerateRecoveryCodes(caller));
}

export async function stepUpAction(input: { method: "totp" | "recovery"; code: string } | { method: "webauthn"; handle: string; assertion: Record<string, unknown> }) {
  const o = await origin();
  return runAction((caller) => stepUp(caller, { ...input, origin: o }));
}

export async function stepUpPasskeyOptionsAction() {
  const o = await origin();
  return runAction((caller) => stepUpPasskeyOptions(caller, { origin: o }));
}

export async function listSessionsAction(input: { userId?: string } = {}) {
  return runAction((caller) => listSessions(caller, input));
}

export async function endSessionAction(input: { sessionId: string }) {
  return runAction((caller) => endSession(caller, input));
}
