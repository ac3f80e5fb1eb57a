"use server";

import { headers } from "next/headers";
import { secondStepMethods, secondStepPasskeyOptions } from "@/lib/auth/mfa/sign-in-step";
import { relyingParty } from "@/lib/auth/mfa/webauthn";

// The sign-in's second step, before any session exists: what the pending
// handle's user can use, and passkey options for it. Both need the handle
// the password step answered with; the outcome is recorded by the "mfa"
// provider (CheckMfa / ConsoleLogin).
export async function secondStepMethodsAction(mfaToken: string) {
  return secondStepMethods(mfaToken);
}

export async function secondStepPasskeyOptionsAction(mfaToken: string) {
  const origin = (await headers()).get("origin") ?? undefined;
  return secondStepPasskeyOptions(relyingParty(origin), mfaToken);
}
