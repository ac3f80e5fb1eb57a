// Revealing once the secret an approved change produced (a new access key's
// secret, a temporary password) to the user who asked for the change: opened
// from its seal, answered, and erased in the same transaction as the
// RevealApprovalSecret event (which never records the secret). Nobody else
// sees it, not even the approvers; a second reveal finds nothing.
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { requireMfaStepUp } from "@/lib/auth/mfa/step-up";
import { openApprovalSecret } from "@/lib/crypto/keystore/approval-secret";
import { prisma } from "@/lib/db/client";
import { AccessDeniedException, KMSInvalidStateException, NotFoundException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { APPROVALS_EVENT_SOURCE } from "./operations";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function revealUnaudited(caller: Principal, raw: unknown): Promise<{ requestId: string; operation: string; secret: Record<string, unknown> }> {
  const requestId = (raw as { requestId?: unknown } | null)?.requestId;
  if (typeof requestId !== "string" || !UUID.test(requestId)) throw new ValidationException("requestId must be an approval request ID (a UUID).");
  if (caller.kind !== "user" || !caller.userId) throw new AccessDeniedException("Only the user who asked for the change may reveal its secret.");
  const locked = await prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM "ApprovalRequest" WHERE id = ${requestId}::uuid FOR UPDATE`;
  const request = locked.length ? await prisma.approvalRequest.findUnique({ where: { id: requestId } }) : null;
  if (!request) throw new NotFoundException(`Approval request ${requestId} does not exist.`);
  if (request.requesterId !== caller.userId) throw new AccessDeniedException("Only the user who asked for the change may reveal its secret.");
  if (!request.sealedResult) {
    throw new KMSInvalidStateException(
      request.resultRevealedAt
        ? `The secret of approval request ${requestId} was already revealed at ${request.resultRevealedAt.toISOString()}; it is shown once.`
        : request.resultExpiredAt
          ? messages.approvalSecretExpired(requestId, request.resultExpiredAt.toISOString())
          : `Approval request ${requestId} has no secret to reveal.`,
    );
  }
  await requireMfaStepUp(caller);
  const secret = (await openApprovalSecret(request.id, "result", request.sealedResult)) as Record<string, unknown>;
  await prisma.approvalRequest.update({ where: { id: request.id }, data: { sealedResult: null, resultRevealedAt: new Date() } });
  return { requestId, operation: request.operation, secret };
}

/** The event names the request; its response records only that a secret was revealed, never the secret. */
export function revealApprovalSecret(caller: Principal, input: unknown): ReturnType<typeof revealUnaudited> {
  return audited(
    {
      eventName: "RevealApprovalSecret",
      eventSource: APPROVALS_EVENT_SOURCE,
      caller,
      via: "console",
      request: input,
      readOnly: false,
      recordedResponse: (r) => ({ requestId: (r as { requestId: string }).requestId, revealed: true }),
      approval: typeof (input as { requestId?: unknown } | null)?.requestId === "string" ? { requestId: (input as { requestId: string }).requestId } : undefined,
    },
    () => revealUnaudited(caller, input),
  );
}
