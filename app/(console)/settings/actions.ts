"use server";

import { updateSettings } from "@/lib/access/settings";
import { runAction } from "@/lib/console/run";
import type { RuntimeSettingsPatch } from "@/lib/settings/runtime";

// A thin door: the service layer authorizes, validates and audits.
export async function updateSettingsAction(patch: RuntimeSettingsPatch) {
  return runAction((caller) => updateSettings(caller, patch));
}
