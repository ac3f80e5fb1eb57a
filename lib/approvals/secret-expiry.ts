// A secret an executed request produced (a temporary password, a new access
// key's secret) waits sealed for its requester, but not for ever: if it is not
// revealed within the request's own time to live (the rule's ttlSeconds, 24 h
// by default) counted from the execution, it is erased, the request records
// when (resultExpiredAt), and an ExpireApprovalSecret service event says so in
// the same transaction. The update is conditional, so instances sweeping at
// once (or a reveal landing meanwhile) erase each secret at most once.
import { prisma } from "@/lib/db/client";
import { sweepRequest, type SweptRequest as Due } from "./sweep";

/** Requests whose produced secret outlived its time: executed longer ago than the request's time to live. */
function dueSecrets(now: Date): Promise<Due[]> {
  // Columns are UTC timestamps without a zone: compare with `now` in UTC, whatever the session's zone.
  const nowUtc = now.getTime() / 1000;
  return prisma.$queryRaw<Due[]>`
    SELECT id::text AS id, operation, "requesterArn" FROM "ApprovalRequest"
    WHERE "sealedResult" IS NOT NULL AND "decidedAt" IS NOT NULL
      AND "decidedAt" + ("expiresAt" - "createdAt") <= (to_timestamp(${nowUtc}::float8) AT TIME ZONE 'UTC')
    LIMIT 500`;
}

export async function expireUnrevealedSecrets(now = new Date()): Promise<number> {
  let expired = 0;
  for (const request of await dueSecrets(now)) {
    const changed = await sweepRequest(request, "ExpireApprovalSecret", async () => {
      const { count } = await prisma.approvalRequest.updateMany({
        where: { id: request.id, sealedResult: { not: null } },
        data: { sealedResult: null, resultExpiredAt: now },
      });
      return count;
    });
    if (changed) expired++;
  }
  return expired;
}
