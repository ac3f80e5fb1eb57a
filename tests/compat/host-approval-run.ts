// See host-approval.mjs: request a root key change as `requester`, approve it as `approver`.
import { decideApprovalRequest } from "@/lib/approvals";
import { ApprovalRequiredException } from "@/lib/approvals/gate";
import { requestHostOperation } from "@/lib/approvals/host-operations";
import type { HostOperation } from "@/lib/approvals/operations";
import { closeAudit } from "@/lib/audit";
import { userPrincipal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { disconnectDatabase, prisma } from "@/lib/db/client";
import { lockDataDir } from "@/lib/runtime/data-dir-lock";
import { connectDatabase } from "@/lib/runtime/database";
import { accountId } from "@/lib/settings/account";

async function principalOf(username: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { username }, include: { customRole: true } });
  return userPrincipal(await accountId(), user, { userAgent: "keyhold-compat-test" });
}

export async function requestAndApprove(a: { requester: string; approver: string; password: string; operation: HostOperation; target: object }): Promise<string> {
  const { dataDir, databaseUrl } = config();
  const lock = lockDataDir(dataDir, "cli");
  const db = await connectDatabase({ databaseUrl, dataDir, migrate: false });
  try {
    const id = await requestHostOperation(await principalOf(a.requester), a.operation, a.target).then(
      () => {
        throw new Error("the request was not held");
      },
      (e: unknown) => {
        if (!(e instanceof ApprovalRequiredException)) throw e;
        return e.approvalRequestId;
      },
    );
    const decided = await decideApprovalRequest(await principalOf(a.approver), { requestId: id, decision: "approve", reason: "compat test", password: a.password });
    if (decided.status !== "approved") throw new Error(`request ${id} is ${decided.status}`);
    return id;
  } finally {
    await closeAudit();
    await disconnectDatabase();
    await db.stop();
    lock.release();
  }
}
