// Running an approved request: its original input (secret fields opened from
// their seal), as its ORIGINAL requester (reloaded now, so authorization is
// checked again at execution time), inside the approving call's transaction
// so the change, its event (naming the request and the approvers) and the
// request's new status commit together. A secret the change produced is not
// part of the outcome anyone sees: it is sealed for the requester (reveal.ts).
import { audited, withApprovalFacts } from "@/lib/audit";
import { userPrincipal, type Principal } from "@/lib/auth/principal";
import { openApprovalSecret, sealApprovalSecret } from "@/lib/crypto/keystore/approval-secret";
import { prisma, type ApprovalRequest } from "@/lib/db/client";
import { AccessDeniedException, isKmsError } from "@/lib/errors";
import { invokeKms, type InvocationMeta } from "@/lib/kms/invoke";
import { accountId } from "@/lib/settings/account";
import { ACCESS_CALLS } from "./access-gate";
import { joinHeldInput, splitResult } from "./held-secrets";
import { APPROVALS_EVENT_SOURCE, isKmsProtectable, POLICY_OPERATION } from "./operations";
import { applyApprovalRule } from "./rules";

export type ExecutionOutcome = { ok: true; response: unknown; secretSealedForRequester?: true } | { ok: false; error: { name: string; message: string } };

async function requesterOf(request: ApprovalRequest): Promise<Principal> {
  const user = request.requesterId ? await prisma.user.findUnique({ where: { id: request.requesterId }, include: { customRole: true } }) : null;
  if (!user || user.disabled) throw new AccessDeniedException(`The requester ${request.requesterArn} no longer exists or is disabled, so the approved request was not executed.`);
  return userPrincipal(await accountId(), user, { userAgent: "keyhold-approvals" });
}

function via(request: ApprovalRequest): InvocationMeta["source"] {
  return request.via === "api" ? "api" : "console";
}

async function heldInput(request: ApprovalRequest): Promise<unknown> {
  const secret = request.sealedInput ? await openApprovalSecret(request.id, "input", request.sealedInput) : null;
  return joinHeldInput(request.input, secret);
}

async function run(request: ApprovalRequest, caller: Principal, approval: { requestId: string; approvers: string[] }): Promise<unknown> {
  const input = await heldInput(request);
  if (isKmsProtectable(request.operation)) return invokeKms(request.operation, caller, input, { source: via(request), approval });
  if (request.operation === POLICY_OPERATION) {
    return audited(
      { eventName: POLICY_OPERATION, eventSource: APPROVALS_EVENT_SOURCE, caller, via: via(request), request: input, approval },
      () => applyApprovalRule(caller, input),
    );
  }
  const access = ACCESS_CALLS[request.operation];
  if (access) return withApprovalFacts(approval, () => access.call(caller, input));
  throw new AccessDeniedException(`${request.operation} cannot be executed by approval.`);
}

export interface Execution {
  outcome: ExecutionOutcome;
  /** The secret the change produced, sealed for the requester (null when none). */
  sealedResult: Uint8Array<ArrayBuffer> | null;
}

/** Executes `request`; a failure is caught and returned (its event is already recorded with the change's transaction). */
export async function executeApproved(request: ApprovalRequest, approvers: string[]): Promise<Execution> {
  const approval = { requestId: request.id, approvers };
  try {
    const caller = await requesterOf(request);
    const { response, secret } = splitResult(request.operation, await run(request, caller, approval));
    const sealedResult = secret ? await sealApprovalSecret(request.id, "result", secret) : null;
    const outcome: ExecutionOutcome = { ok: true, response: JSON.parse(JSON.stringify(response ?? null)), ...(sealedResult ? { secretSealedForRequester: true as const } : {}) };
    return { outcome, sealedResult };
  } catch (e) {
    return { outcome: { ok: false, error: isKmsError(e) ? { name: e.name, message: e.message } : { name: "KMSInternalException", message: "Internal error" } }, sealedResult: null };
  }
}
