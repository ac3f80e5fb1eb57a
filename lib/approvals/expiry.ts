// Requests that reach their expiry unapproved — or approved but never used
// (root key migration and rekey, which the host's CLI runs) — become `expired`, each with an
// event (a service event naming the request) in the same transaction. The
// update is conditional, so instances sweeping at once expire each request once.
import { prisma } from "@/lib/db/client";
import { sweepRequest } from "./sweep";

const UNUSED = ["pending", "approved"];

export async function expireDueRequests(now = new Date()): Promise<number> {
  const due = await prisma.approvalRequest.findMany({ where: { status: { in: UNUSED }, expiresAt: { lte: now } }, select: { id: true, operation: true, requesterArn: true }, take: 500 });
  let expired = 0;
  for (const request of due) {
    const changed = await sweepRequest(request, "ExpireApprovalRequest", async () => {
      const { count } = await prisma.approvalRequest.updateMany({ where: { id: request.id, status: { in: UNUSED } }, data: { status: "expired", decidedAt: now, sealedInput: null } });
      return count;
    });
    if (changed) expired++;
  }
  return expired;
}
