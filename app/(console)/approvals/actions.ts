"use server";

import { revalidatePath } from "next/cache";
import { decideApprovalRequest, updateApprovalRule } from "@/lib/approvals";
import { revealApprovalSecret } from "@/lib/approvals/reveal";
import { runAction } from "@/lib/console/run";

// Thin doors: lib/approvals validates, authorizes (step-up included) and audits.
export async function decideAction(input: { requestId: string; decision: "approve" | "reject"; reason: string; password: string }) {
  const result = await runAction((caller) => decideApprovalRequest(caller, input, { source: "console" }));
  revalidatePath("/approvals");
  return result;
}

/** Sets (approvals ≥ 1) or removes (0) a rule; held for approval once quorum is on. */
export async function updateRuleAction(input: { operation: string; approvals: number; approverRole: string; ttlSeconds: number }) {
  const result = await runAction((caller) => updateApprovalRule(caller, input, { source: "console" }));
  revalidatePath("/approvals");
  return result;
}

/** The requester's one look at a secret their approved change produced; erased on the server as it is answered. */
export async function revealSecretAction(input: { requestId: string }) {
  const result = await runAction((caller) => revealApprovalSecret(caller, input));
  revalidatePath("/approvals");
  return result;
}
