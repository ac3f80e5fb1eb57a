"use server";

import { revalidatePath } from "next/cache";
import {
  createNotificationRule,
  deleteNotificationRule,
  disableNotificationRule,
  enableNotificationRule,
  updateNotificationRule,
} from "@/lib/alerts/rules";
import { runAction } from "@/lib/console/run";

// Thin doors: the service layer validates, authorizes and audits.
async function run<T>(fn: Parameters<typeof runAction<T>>[0]) {
  const result = await runAction(fn);
  if (result.ok) revalidatePath("/alerts");
  return result;
}

export async function createRuleAction(input: Record<string, unknown>) {
  return run((caller) => createNotificationRule(caller, input));
}

export async function updateRuleAction(input: Record<string, unknown>) {
  return run((caller) => updateNotificationRule(caller, input));
}

export async function setRuleEnabledAction(input: { ruleId: string; enabled: boolean }) {
  return run((caller) => (input.enabled ? enableNotificationRule : disableNotificationRule)(caller, { ruleId: input.ruleId }));
}

export async function deleteRuleAction(input: { ruleId: string }) {
  return run((caller) => deleteNotificationRule(caller, input));
}
