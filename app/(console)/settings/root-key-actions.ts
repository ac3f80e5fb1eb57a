"use server";

import { revalidatePath } from "next/cache";
import { requestHostOperation } from "@/lib/approvals/host-operations";
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

/** A root key migration or rekey under quorum: always answers the request it created (or why none was). */
export async function requestRootKeyChangeAction(input: { operation: "MigrateRootKey" | "RekeyRootKey"; to?: string; custodians?: number; threshold?: number }) {
  const operation = input?.operation === "RekeyRootKey" ? "RekeyRootKey" : "MigrateRootKey";
  return runAction((caller) => requestHostOperation(caller, operation, { to: input?.to, custodians: input?.custodians, threshold: input?.threshold }));
}
