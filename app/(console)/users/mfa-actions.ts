"use server";

import { getMfaPolicy, listUserMfa } from "@/lib/accounts/mfa-admin";
import { invokeAccessWithApproval } from "@/lib/approvals/access-gate";
import { runAction } from "@/lib/console/run";
import type { Role } from "@/lib/db/client";

// Thin doors: the service layer authorizes (administrators), asks for step-up and records each call.
export async function listUserMfaAction() {
  return runAction((caller) => listUserMfa(caller));
}

export async function resetUserMfaAction(input: { userId: string }) {
  return runAction((caller) => invokeAccessWithApproval("ResetUserMfa", caller, input) as Promise<{ factorsRemoved: number }>);
}

export async function getMfaPolicyAction() {
  return runAction((caller) => getMfaPolicy(caller));
}

export async function setMfaPolicyAction(input: { roles: Role[] }) {
  // Held for approval when a rule protects UpdateMfaPolicy.
  return runAction((caller) => invokeAccessWithApproval("UpdateMfaPolicy", caller, input) as Promise<{ requiredRoles: Role[] }>);
}
