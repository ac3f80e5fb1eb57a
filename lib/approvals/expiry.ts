// Requests that reach their expiry unapproved — or approved but never used
// (root key migration and rekey, which the host's CLI runs) — become `expired`, each with an
// event (a service event naming the request) in the same transaction. The
// update is conditional, so instances sweeping at once expire each request once.
import { commitChange } from "@/lib/audit/change";
import { buildRecord } from "@/lib/audit/record";
import { prisma } from "@/lib/db/client";
import { accountId, region } from "@/lib/settings/account";
import { APPROVALS_EVENT_SOURCE } from "./operations";

const NOTHING = new Error("already decided");
const UNUSED = ["pending", "approved"];

export async function expireDueRequests(now = new Date()): Promise<number> {
  const due = await prisma.approvalRequest.findMany({ where: { status: { in: UNUSED }, expiresAt: { lte: now } }, select: { id: true, operation: true, requesterArn: true }, take: 500 });
  let expired = 0;
  for (const request of due) {
    try {
      await commitChange(
        async () => {
          const { count } = await prisma.approvalRequest.updateMany({ where: { id: request.id, status: { in: UNUSED } }, data: { status: "expired", decidedAt: now, sealedInput: null } });
          if (count === 0) throw NOTHING;
        },
        async (outcome) =>
          outcome.error !== undefined
            ? null
            : buildRecord({
                eventName: "ExpireApprovalRequest",
                eventSource: APPROVALS_EVENT_SOURCE,
                eventType: "AwsServiceEvent",
                via: "service",
                readOnly: false,
                region: region(),
                accountId: await accountId(),
                request: { requestId: request.id, operation: request.operation, requester: request.requesterArn },
                approval: { requestId: request.id },
              }),
      );
      expired++;
    } catch (e) {
      if (e !== NOTHING) throw e;
    }
  }
  return expired;
}
