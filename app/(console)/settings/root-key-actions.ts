"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/console/run";
import { sealRootKey, submitUnsealShare } from "@/lib/kms/root-key-custody";

// Thin doors: the service layer authorizes, audits (never the share) and acts.
export async function sealRootKeyAction() {
  const result = await runAction((caller) => sealRootKey(caller));
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function submitUnsealShareAction(input: { share: string }) {
  const result = await runAction((caller) => submitUnsealShare(caller, { share: input?.share }));
  if (result.ok) revalidatePath("/settings");
  return result;
}
