// Approving or rejecting a request, from the console or the API (one path for
// both). One decision per approver; the requester never counts; step-up
// authentication first: in the console the password and a recent second
// factor on the session, through the API a current TOTP code when the approver
// has MFA (api-step-up.ts). The request row is locked (SELECT … FOR UPDATE)
// for the whole decision, so two approvals landing at once are serialised and
// the Mth one executes the request exactly once.
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { requireRecentStepUp } from "@/lib/auth/step-up";
import { prisma, type ApprovalRequest, type Prisma } from "@/lib/db/client";
import { AccessDeniedException, KMSInvalidStateException, NotFoundException, ValidationException } from "@/lib/errors";
import type { InvocationMeta } from "@/lib/kms/invoke";
import { messages } from "@/lib/errors/messages";
import { requireApiStepUp } from "./api-step-up";
import { executeApproved, type ExecutionOutcome } from "./execute";
import { APPROVALS_EVENT_SOURCE, isHostOperation } from "./operations";

export interface DecisionInput {
  requestId: string;
  decision: "approve" | "reject";
  reason?: string;
  /** Console step-up proof (lib/auth/step-up.ts); never recorded. */
  password?: string;
  /** API step-up proof: a current TOTP code (api-step-up.ts); never recorded. */
  mfaCode?: string;
}

export interface DecisionResult {
  requestId: string;
  status: string;
  approvals: number;
  approvalsNeeded: number;
  execution?: ExecutionOutcome;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(raw: unknown): Required<Omit<DecisionInput, "password" | "mfaCode">> {
  const input = (raw ?? {}) as Record<string, unknown>;
  if (typeof input.requestId !== "string" || !UUID.test(input.requestId)) throw new ValidationException("requestId must be an approval request ID (a UUID).");
  if (input.decision !== "approve" && input.decision !== "reject") throw new ValidationException("decision must be approve or reject.");
  if (input.reason !== undefined && input.reason !== null && typeof input.reason !== "string") throw new ValidationException(messages.approvalFieldType("reason"));
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (reason.length > 1000) throw new ValidationException("reason must be at most 1000 characters.");
  if (input.decision === "reject" && !reason) throw new ValidationException("A rejection needs a reason.");
  return { requestId: input.requestId, decision: input.decision, reason };
}

async function lockRequest(id: string): Promise<ApprovalRequest> {
  const locked = await prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM "ApprovalRequest" WHERE id = ${id}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new NotFoundException(`Approval request ${id} does not exist.`);
  return (await prisma.approvalRequest.findUnique({ where: { id } }))!;
}

/** The console re-enters the password (plus a recent second factor); an API caller is signed, and sends a TOTP code when it has MFA. */
function proveStepUp(caller: Principal, input: Record<string, unknown>, meta: InvocationMeta): Promise<void> {
  if (meta.source === "api") return requireApiStepUp(caller, input.mfaCode);
  return requireRecentStepUp(caller, { password: typeof input.password === "string" ? input.password : undefined });
}

/** Approves or rejects; on the Mth approval the request runs, in this same transaction. */
export async function decideApprovalRequest(caller: Principal, raw: unknown, meta: InvocationMeta = { source: "console" }): Promise<DecisionResult> {
  const input = (raw ?? {}) as Record<string, unknown>;
  const eventName = input.decision === "reject" ? "RejectApprovalRequest" : "ApproveApprovalRequest";
  const recorded = { requestId: input.requestId, reason: input.reason };
  // Step-up first, outside the decision's transaction: a wrong password or code must stay counted
  // toward the lockout although the refused decision rolls back. Its refusal is raised (and audited) below.
  const stepUp = caller.kind === "user" && caller.userId ? await proveStepUp(caller, input, meta).then(() => undefined, (e: unknown) => e) : undefined;
  return audited(
    { eventName, eventSource: APPROVALS_EVENT_SOURCE, caller, via: meta.source, request: recorded, requestId: meta.requestId, accessKeyId: meta.accessKeyId, approval: typeof input.requestId === "string" ? { requestId: input.requestId } : undefined },
    async () => {
      const { requestId, decision, reason } = parse(raw); // and the password, checked above
      if (caller.kind !== "user" || !caller.userId) throw new AccessDeniedException("Approvals are decided by signed-in users, never by the host's operator alone.");
      if (stepUp !== undefined) throw stepUp;
      const request = await lockRequest(requestId);
      if (request.status !== "pending") throw new KMSInvalidStateException(`Approval request ${requestId} is already ${request.status}.`);
      if (request.expiresAt <= new Date()) throw new KMSInvalidStateException(`Approval request ${requestId} expired at ${request.expiresAt.toISOString()}.`);
      if (request.requesterId === caller.userId) throw new AccessDeniedException("You cannot approve or reject your own request: the requester never counts.");
      if (caller.mustChangePassword || caller.role !== request.approverRole) {
        throw new AccessDeniedException(`Only users with role ${request.approverRole} may decide approval request ${requestId}.`);
      }
      // An account made after the request cannot approve it: otherwise one administrator could
      // create the approvers a quorum needs and approve their own change.
      const approver = await prisma.user.findUnique({ where: { id: caller.userId }, select: { createdAt: true } });
      if (!approver || approver.createdAt >= request.createdAt) {
        throw new AccessDeniedException(`Accounts created after approval request ${requestId} was made cannot decide it.`);
      }
      // Nor can whoever created the access key the request was made with: minting a colleague's key,
      // requesting as them and approving would be approving one's own request.
      if (request.requesterAccessKeyId) {
        const key = await prisma.accessKey.findUnique({ where: { id: request.requesterAccessKeyId }, select: { createdById: true } });
        if (key?.createdById === caller.userId) {
          throw new AccessDeniedException(`You created the access key that made approval request ${requestId}: deciding it would be deciding your own request.`);
        }
      }
      const decisions = await prisma.approvalDecision.findMany({ where: { requestId } });
      if (decisions.some((d) => d.userId === caller.userId)) throw new KMSInvalidStateException(`You have already decided approval request ${requestId}: an approver decides once.`);
      await prisma.approvalDecision.create({ data: { requestId, userId: caller.userId, username: caller.username, decision, reason } });
      const approvers = [...decisions.filter((d) => d.decision === "approve").map((d) => d.username), ...(decision === "approve" ? [caller.username] : [])];
      const base = { requestId, approvals: approvers.length, approvalsNeeded: request.approvalsNeeded };

      if (decision === "reject") {
        // A request that will never run keeps no secret input.
        await prisma.approvalRequest.update({ where: { id: requestId }, data: { status: "rejected", decidedAt: new Date(), sealedInput: null } });
        return { ...base, status: "rejected" };
      }
      if (approvers.length < request.approvalsNeeded) return { ...base, status: "pending" };
      if (isHostOperation(request.operation)) {
        // Run by the host's CLI with --approval (host-operations.ts), which marks it executed.
        await prisma.approvalRequest.update({ where: { id: requestId }, data: { status: "approved", decidedAt: new Date() } });
        return { ...base, status: "approved" };
      }
      // The Mth approval: run it now; the change (or its failure) commits with this decision.
      const { outcome: execution, sealedResult } = await executeApproved(request, approvers);
      const status = execution.ok ? "executed" : "failed";
      await prisma.approvalRequest.update({
        where: { id: requestId },
        // The input's secrets are erased once it ran (or failed); a produced secret waits for its requester.
        data: { status, decidedAt: new Date(), outcome: execution as Prisma.InputJsonValue, sealedInput: null, sealedResult },
      });
      return { ...base, status, execution };
    },
  );
}
