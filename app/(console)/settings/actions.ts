"use server";

import { invokeAccessWithApproval } from "@/lib/approvals/access-gate";
import { runAction } from "@/lib/console/run";
import type { RuntimeSettings, RuntimeSettingsPatch } from "@/lib/settings/runtime";

// A thin door: the service layer authorizes, validates and audits; a retention that purges audit
// events sooner is held for approval when a rule protects UpdateAuditRetention.
export async function updateSettingsAction(patch: RuntimeSettingsPatch) {
  return runAction((caller) => invokeAccessWithApproval("UpdateAuditRetention", caller, patch) as Promise<RuntimeSettings>);
}
