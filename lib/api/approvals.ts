// The approvals door of the API: POST / with X-Amz-Target:
// KeyholdApprovals.<Operation>, signed with a user's access key like any KMS
// call. Only the wire lives here (AWS-style field names in and out); every
// rule — who may see or decide, step-up, once per approver, execution on the
// Mth approval, the audit — is lib/approvals', shared with the console.
import { decideApprovalRequest, type DecisionResult } from "@/lib/approvals/decide";
import { getApprovalRequest, listApprovalRequests, type RequestSummary } from "@/lib/approvals/requests";
import type { Principal } from "@/lib/auth/principal";
import type { InvocationMeta } from "@/lib/kms/invoke";

export const APPROVALS_TARGET_PREFIX = "KeyholdApprovals";

type Body = Record<string, unknown>;
type Meta = InvocationMeta & { source: "api" };

const date = (iso: string | null) => (iso ? new Date(iso) : undefined);

function requestOut(r: RequestSummary) {
  return {
    RequestId: r.id,
    Operation: r.operation,
    Input: r.input,
    Summary: r.summary,
    Requester: r.requester,
    RequesterArn: r.requesterArn,
    Via: r.via,
    Status: r.status,
    ApprovalsNeeded: r.approvalsNeeded,
    Approvals: r.approvals,
    ApproverRole: r.approverRole,
    Decisions: r.decisions.map((d) => ({ Username: d.username, Decision: d.decision, Reason: d.reason, DecisionDate: new Date(d.decidedAt) })),
    CanDecide: r.canDecide,
    Outcome: r.outcome ?? undefined,
    CreationDate: new Date(r.createdAt),
    ExpirationDate: new Date(r.expiresAt),
    DecisionDate: date(r.decidedAt),
    SecretToReveal: r.secretToReveal,
    SecretRevealedDate: date(r.secretRevealedAt),
    SecretExpiredDate: date(r.secretExpiredAt),
  };
}

function decisionOut(d: DecisionResult) {
  const e = d.execution;
  return {
    RequestId: d.requestId,
    Status: d.status,
    Approvals: d.approvals,
    ApprovalsNeeded: d.approvalsNeeded,
    Executed: e !== undefined,
    Outcome: !e ? undefined : e.ok ? { Succeeded: true, Response: e.response, SecretSealedForRequester: e.secretSealedForRequester } : { Succeeded: false, Error: { Code: e.error.name, Message: e.error.message } },
  };
}

const decide = (decision: "approve" | "reject") => (caller: Principal, b: Body, meta: Meta) =>
  decideApprovalRequest(caller, { requestId: b.RequestId, decision, reason: b.Reason, mfaCode: b.MfaCode }, meta).then(decisionOut);

const OPERATIONS: Readonly<Record<string, (caller: Principal, body: Body, meta: Meta) => Promise<unknown>>> = {
  ListApprovalRequests: async (caller, b, meta) => ({ ApprovalRequests: (await listApprovalRequests(caller, { status: b.Status }, meta)).map(requestOut) }),
  GetApprovalRequest: async (caller, b, meta) => ({ ApprovalRequest: requestOut(await getApprovalRequest(caller, { requestId: b.RequestId }, meta)) }),
  ApproveRequest: decide("approve"),
  RejectRequest: decide("reject"),
};

export const isApprovalsOperation = (name: string): boolean => Object.hasOwn(OPERATIONS, name);

/** Runs one approvals operation; the service layer validates, authorizes and records it. */
export function invokeApprovalsApi(name: string, caller: Principal, body: unknown, meta: Meta): Promise<unknown> {
  const input = body && typeof body === "object" && !Array.isArray(body) ? (body as Body) : {};
  return OPERATIONS[name]!(caller, input, meta);
}
