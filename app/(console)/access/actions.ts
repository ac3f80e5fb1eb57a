"use server";

import { deleteAccessKey, setAccessKeyStatus, type AccessKeySummary } from "@/lib/accounts/access-keys";
import { invokeAccessWithApproval } from "@/lib/approvals/access-gate";
import { requireStepUpForAccessKey } from "@/lib/accounts/step-up";
import { runAction } from "@/lib/console/run";

export async function createAccessKeyAction(input: { username?: string }) {
  return runAction(async (caller) => {
    await requireStepUpForAccessKey(caller, input.username);
    // An administrator's access key is held for approval when a rule protects CreateAccessKey.
    return invokeAccessWithApproval("CreateAccessKey", caller, input) as Promise<AccessKeySummary & { SecretAccessKey: string }>;
  });
}

export async function setAccessKeyStatusAction(input: { accessKeyId: string; status: "Active" | "Inactive" }) {
  return runAction((caller) => setAccessKeyStatus(caller, input));
}

export async function deleteAccessKeyAction(input: { accessKeyId: string }) {
  return runAction((caller) => deleteAccessKey(caller, input));
}
