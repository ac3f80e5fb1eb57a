// Running an approved request: its original input, as its ORIGINAL requester
// (reloaded now, so authorization is checked again at execution time), inside
// the approving call's transaction so the change, its event (naming the
// request and the approvers) and the request's new status commit together.
import { setUserRole } from "@/lib/access/users";
import { audited, withApprovalFacts } from "@/lib/audit";
import { userPrincipal, type Principal } from "@/lib/auth/principal";
import { prisma, type ApprovalRequest } from "@/lib/db/client";
import { AccessDeniedException, isKmsError } from "@/lib/errors";
import { invokeKms, type InvocationMeta } from "@/lib/kms/invoke";
import { accountId } from "@/lib/settings/account";
import { APPROVALS_EVENT_SOURCE, isKmsProtectable, POLICY_OPERATION } from "./operations";
import { applyApprovalRule } from "./rules";

export type ExecutionOutcome = { ok: true; response: unknown } | { ok: false; error: { name: string; message: string } };

async function requesterOf(request: ApprovalRequest): Promise<Principal> {
  const user = request.requesterId ? await prisma.user.findUnique({ where: { id: request.requesterId }, include: { customRole: true } }) : null;
  if (!user || user.disabled) throw new AccessDeniedException(`The requester ${request.requesterArn} no longer exists or is disabled, so the approved request was not executed.`);
  return userPrincipal(await accountId(), user, { userAgent: "keyhold-approvals" });
}

function via(request: ApprovalRequest): InvocationMeta["source"] {
  return request.via === "api" ? "api" : "console";
}

/** Executes `request`; a failure is caught and returned (its event is already recorded with the change's transaction). */
export async function executeApproved(request: ApprovalRequest, approvers: string[]): Promise<ExecutionOutcome> {
  const approval = { requestId: request.id, approvers };
  try {
    const caller = await requesterOf(request);
    let response: unknown;
    if (isKmsProtectable(request.operation)) {
      response = await invokeKms(request.operation, caller, request.input, { source: via(request), approval });
    } else if (request.operation === POLICY_OPERATION) {
      response = await audited(
        { eventName: POLICY_OPERATION, eventSource: APPROVALS_EVENT_SOURCE, caller, via: via(request), request: request.input, approval },
        () => applyApprovalRule(caller, request.input),
      );
    } else if (request.operation === "UpdateUserRole") {
      response = await withApprovalFacts(approval, () => setUserRole(caller, request.input));
    } else {
      throw new AccessDeniedException(`${request.operation} cannot be executed by approval.`);
    }
    return { ok: true, response: JSON.parse(JSON.stringify(response ?? null)) };
  } catch (e) {
    return { ok: false, error: isKmsError(e) ? { name: e.name, message: e.message } : { name: "KMSInternalException", message: "Internal error" } };
  }
}
