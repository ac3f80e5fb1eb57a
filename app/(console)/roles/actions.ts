"use server";

import { revalidatePath } from "next/cache";
import { createCustomRole, deleteCustomRole, updateCustomRole } from "@/lib/accounts/custom-roles";
import { runAction } from "@/lib/console/run";

// Thin doors: the service layer validates, authorizes and audits.
export async function createCustomRoleAction(input: { name: string; description: string; policy: string }) {
  const result = await runAction((caller) => createCustomRole(caller, input));
  if (result.ok) revalidatePath("/roles");
  return result;
}

export async function updateCustomRoleAction(input: { customRoleId: string; name: string; description: string; policy: string }) {
  const result = await runAction((caller) => updateCustomRole(caller, input));
  if (result.ok) revalidatePath("/roles");
  return result;
}

export async function deleteCustomRoleAction(input: { customRoleId: string }) {
  const result = await runAction((caller) => deleteCustomRole(caller, input));
  if (result.ok) revalidatePath("/roles");
  return result;
}
