"use server";

import { createAccessKey, deleteAccessKey, setAccessKeyStatus } from "@/lib/access/access-keys";
import { requireStepUpForAccessKey } from "@/lib/access/step-up";
import { runAction } from "@/lib/console/run";

export async function createAccessKeyAction(input: { username?: string }) {
  return runAction(async (caller) => {
    await requireStepUpForAccessKey(caller, input.username);
    return createAccessKey(caller, input);
  });
}

export async function setAccessKeyStatusAction(input: { accessKeyId: string; status: "Active" | "Inactive" }) {
  return runAction((caller) => setAccessKeyStatus(caller, input));
}

export async function deleteAccessKeyAction(input: { accessKeyId: string }) {
  return runAction((caller) => deleteAccessKey(caller, input));
}
