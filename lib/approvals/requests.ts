// Approval requests: created by the gate, listed for requesters, approvers
// and auditors. A request is `pending` until it is executed (or its execution
// `failed`), `rejected`, or `expired`; a root key custody change is `approved`
// until the host's CLI runs it (host-operations.ts), or it expires unused.
import { authorize } from "@/lib/access/authorize";
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type ApprovalDecision, type ApprovalRequest, type Prisma, type Role } from "@/lib/db/client";
import { AccessDeniedException, NotFoundException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
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
  /** When a produced secret nobody revealed was erased (secret-expiry.ts). */
  secretExpiredAt: string | null;
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
  /** The access key that signed the held call (API). */
  accessKeyId?: string;
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
      requesterAccessKeyId: r.accessKeyId ?? null,
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
    secretExpiredAt: r.resultExpiredAt?.toISOString() ?? null,
  };
}

/** Administrators and auditors see every request; others their own and those their role may approve. */
function visibleTo(caller: Principal): Prisma.ApprovalRequestWhereInput {
  if (caller.kind === "operator" || caller.role === "ADMINISTRATOR" || caller.role === "AUDITOR") return {};
  return { OR: [{ requesterArn: caller.arn }, ...(caller.role ? [{ approverRole: caller.role }] : [])] };
}

/** Where a read came from (console, CLI, or the API with its request and access key), for its event. */
export interface ReadMeta {
  source: "api" | "console" | "cli";
  requestId?: string;
  accessKeyId?: string;
}

/** A read recorded as an event under `eventName`, by whichever door it came in. */
function auditedRead<I, R>(eventName: string, fn: (caller: Principal, input: I | undefined) => Promise<R>) {
  return (caller: Principal, input?: I, meta?: ReadMeta): Promise<R> =>
    audited(
      {
        eventName,
        eventSource: APPROVALS_EVENT_SOURCE,
        caller,
        via: meta?.source ?? (caller.kind === "operator" ? "cli" : "console"),
        requestId: meta?.requestId,
        accessKeyId: meta?.accessKeyId,
        request: input,
        readOnly: true,
      },
      () => fn(caller, input),
    );
}

export const listApprovalRequests = auditedRead(
  "ListApprovalRequests",
  async (caller: Principal, input?: { status?: unknown }): Promise<RequestSummary[]> => {
    authorize(caller, "keyhold:ListApprovalRequests", ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"]);
    const sent = input?.status;
    if (sent !== undefined && (typeof sent !== "string" || !(REQUEST_STATUSES as readonly string[]).includes(sent))) {
      throw new ValidationException(`status must be one of: ${REQUEST_STATUSES.join(", ")}.`);
    }
    const status = sent as RequestStatus | undefined;
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
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One request, if the caller may see it (the same visibility as the list). */
export const getApprovalRequest = auditedRead(
  "GetApprovalRequest",
  async (caller: Principal, input?: { requestId?: unknown }): Promise<RequestSummary> => {
    authorize(caller, "keyhold:GetApprovalRequest", ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"]);
    const requestId = input?.requestId;
    if (typeof requestId !== "string" || !UUID.test(requestId)) throw new ValidationException(messages.approvalRequestIdInvalid);
    const row = await prisma.approvalRequest.findUnique({ where: { id: requestId }, include: { decisions: true } });
    if (!row) throw new NotFoundException(messages.approvalRequestNotFound(requestId));
    const visible = await prisma.approvalRequest.count({ where: { AND: [{ id: requestId }, visibleTo(caller)] } });
    if (visible === 0) throw new AccessDeniedException(messages.approvalRequestNotVisible(requestId));
    return summarizeRequest(caller, row);
  },
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
