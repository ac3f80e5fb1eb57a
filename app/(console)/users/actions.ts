"use server";

import type { Role } from "@/lib/db/client";
import { listCustomRoles } from "@/lib/accounts/custom-roles";
import { setUserTags, unlockUser, type createUser } from "@/lib/accounts/users";
import { requireStepUpFor } from "@/lib/accounts/step-up";
import { invokeAccessWithApproval } from "@/lib/approvals/access-gate";
import { setUserRoleWithApproval } from "@/lib/approvals/gate";
import { runAction } from "@/lib/console/run";

// Each action is a thin door: the service layer validates and authorizes.
// Creating an administrator, disabling or re-enabling a user and giving a custom role are held for
// approval when a rule protects them (lib/approvals/access-gate.ts): the answer then names the request.
export async function createUserAction(input: { username: string; role: Role | null; password?: string; serviceAccount?: boolean }) {
  return runAction((caller) => invokeAccessWithApproval("CreateAdministrator", caller, input) as ReturnType<typeof createUser>);
}

export async function setUserTagsAction(input: { userId: string; tags: Record<string, string> }) {
  return runAction((caller) => setUserTags(caller, input));
}

export async function setUserRoleAction(input: { userId: string; role: Role | null }) {
  return runAction(async (caller) => {
    await requireStepUpFor(caller, "UpdateUserRole", "iam.amazonaws.com", input);
    return setUserRoleWithApproval(caller, input, { source: "console" });
  });
}

export async function setUserDisabledAction(input: { userId: string; disabled: boolean }) {
  return runAction((caller) => invokeAccessWithApproval("UpdateUserStatus", caller, input));
}

export async function resetUserPasswordAction(input: { userId: string }) {
  // Held for approval when a rule protects it: resetting an administrator's password would otherwise bypass quorum.
  return runAction((caller) => invokeAccessWithApproval("ResetUserPassword", caller, input) as Promise<{ generatedPassword?: string }>);
}

export async function unlockUserAction(input: { userId: string }) {
  return runAction((caller) => unlockUser(caller, input));
}

export async function listCustomRolesAction() {
  return runAction((caller) => listCustomRoles(caller));
}

export async function setUserCustomRoleAction(input: { userId: string; customRoleId: string | null }) {
  return runAction(async (caller) => {
    await requireStepUpFor(caller, "UpdateUserCustomRole", "iam.amazonaws.com", input);
    return invokeAccessWithApproval("UpdateUserCustomRole", caller, input);
  });
}
