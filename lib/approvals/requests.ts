// Approval requests: created by the gate, listed for requesters, approvers
// and auditors. A request is `pending` until it is executed (or its execution
// `failed`), `rejected`, or `expired`; a root key custody change is `approved`
// until the host's CLI runs it (host-operations.ts), or it expires unused.
import { authorize } from "@/lib/access/authorize";
import { auditedOperation } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type ApprovalDecision, type ApprovalRequest, type Prisma, type Role } from "@/lib/db/client";
import { ValidationException } from "@/lib/errors";
import { APPROVALS_EVENT_SOURCE } from "./operations";

export const REQUEST_STATUSES = ["pending", "approved", "executed", "failed", "rejected", "expired"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface DecisionSummary {
  username: string;
  decision: "approve" | "reject";
  reason: string;
  decidedAt: string;
}

export interface RequestSummary {
  id: string;
  operation: string;
  input: unknown;
  summary: Record<string, unknown>;
  requester: string;
  requesterArn: string;
  via: string;
  approvalsNeeded: number;
  approvals: number;
  approverRole: Role;
  status: RequestStatus;
  outcome: unknown;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  decisions: DecisionSummary[];
  /** Whether the caller may approve or reject it now. */
  canDecide: boolean;
  /** The requester's: a secret the executed change produced waits to be revealed once. */
  secretToReveal: boolean;
  secretRevealedAt: string | null;
}

/** JSON as stored (dates as ISO strings, no undefined). */
const json = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as Prisma.InputJsonValue;

export async function createApprovalRequest(r: {
  id: string;
  operation: string;
  /** The input without its secret fields (held-secrets.ts), and those fields sealed. */
  input: Prisma.InputJsonValue;
  sealedInput: Uint8Array<ArrayBuffer> | null;
  caller: Principal;
  via: string;
  rule: { approvals: number; approverRole: string; ttlSeconds: number };
  summary: Record<string, unknown>;
}): Promise<ApprovalRequest> {
  return prisma.approvalRequest.create({
    data: {
      id: r.id,
      operation: r.operation,
      input: r.input,
      sealedInput: r.sealedInput,
      summary: json(r.summary),
      requesterId: r.caller.userId ?? null,
      requesterArn: r.caller.arn,
      requesterName: r.caller.username,
      via: r.via,
      approvalsNeeded: r.rule.approvals,
      approverRole: r.rule.approverRole as Role,
      expiresAt: new Date(Date.now() + r.rule.ttlSeconds * 1000),
    },
  });
}

/** Whether `caller` may decide `request` (apart from its status). */
export function mayDecide(caller: Principal, request: Pick<ApprovalRequest, "requesterId" | "approverRole">, decisions: Pick<ApprovalDecision, "userId">[]): boolean {
  return (
    caller.kind === "user" &&
    !!caller.userId &&
    !caller.mustChangePassword &&
    caller.role === request.approverRole &&
    caller.userId !== request.requesterId &&
    !decisions.some((d) => d.userId === caller.userId)
  );
}

export function summarizeRequest(caller: Principal, r: ApprovalRequest & { decisions: ApprovalDecision[] }, now = new Date()): RequestSummary {
  const status = (r.status === "pending" || r.status === "approved") && r.expiresAt <= now ? "expired" : (r.status as RequestStatus);
  return {
    id: r.id,
    operation: r.operation,
    input: r.input,
    summary: (r.summary ?? {}) as Record<string, unknown>,
    requester: r.requesterName,
    requesterArn: r.requesterArn,
    via: r.via,
    approvalsNeeded: r.approvalsNeeded,
    approvals: r.decisions.filter((d) => d.decision === "approve").length,
    approverRole: r.approverRole,
    status,
    outcome: r.outcome,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisions: [...r.decisions]
      .sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime())
      .map((d) => ({ username: d.username, decision: d.decision as "approve" | "reject", reason: d.reason, decidedAt: d.decidedAt.toISOString() })),
    canDecide: status === "pending" && mayDecide(caller, r, r.decisions),
    secretToReveal: !!r.sealedResult && !!caller.userId && caller.userId === r.requesterId,
    secretRevealedAt: r.resultRevealedAt?.toISOString() ?? null,
  };
}

/** Administrators and auditors see every request; others their own and those their role may approve. */
function visibleTo(caller: Principal): Prisma.ApprovalRequestWhereInput {
  if (caller.kind === "operator" || caller.role === "ADMINISTRATOR" || caller.role === "AUDITOR") return {};
  return { OR: [{ requesterArn: caller.arn }, ...(caller.role ? [{ approverRole: caller.role }] : [])] };
}

export const listApprovalRequests = auditedOperation(
  "ListApprovalRequests",
  APPROVALS_EVENT_SOURCE,
  async (caller: Principal, input?: { status?: string }): Promise<RequestSummary[]> => {
    authorize(caller, "keyhold:ListApprovalRequests", ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"]);
    const status = input?.status;
    if (status !== undefined && !(REQUEST_STATUSES as readonly string[]).includes(status)) {
      throw new ValidationException(`status must be one of: ${REQUEST_STATUSES.join(", ")}.`);
    }
    const now = new Date();
    const byStatus: Prisma.ApprovalRequestWhereInput =
      status === "pending" || status === "approved" ? { status, expiresAt: { gt: now } }
      : status === "expired" ? { OR: [{ status: "expired" }, { status: { in: ["pending", "approved"] }, expiresAt: { lte: now } }] }
      : status ? { status }
      : {};
    const rows = await prisma.approvalRequest.findMany({
      where: { AND: [visibleTo(caller), byStatus] },
      include: { decisions: true },
      orderBy: { createdAt: "desc" },
      take: 200,
    });
    return rows.map((r) => summarizeRequest(caller, r, now));
  },
  { readOnly: true },
);

/**
 * How many pending requests the caller could approve now (the console's
 * badge). Part of rendering the shell, like its navigation, so not an event.
 */
export async function countAwaitingMe(caller: Principal): Promise<number> {
  if (caller.kind !== "user" || !caller.userId || !caller.role || caller.mustChangePassword) return 0;
  return prisma.approvalRequest.count({
    where: {
      status: "pending",
      expiresAt: { gt: new Date() },
      approverRole: caller.role,
      NOT: { requesterId: caller.userId },
      decisions: { none: { userId: caller.userId } },
    },
  });
}
