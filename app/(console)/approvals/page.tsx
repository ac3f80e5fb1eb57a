import type { Metadata } from "next";
import { ApprovalRequests } from "@/components/approvals/approval-requests";
import { ApprovalRules } from "@/components/approvals/approval-rules";
import { listApprovalRequests, listApprovalRules, PROTECTABLE_OPERATIONS } from "@/lib/approvals";
import { requirePrincipal } from "@/lib/console/auth/current";
import { Forbidden } from "@/components/shell/forbidden";
import { decideAction, revealSecretAction, updateRuleAction } from "./actions";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const principal = await requirePrincipal();
  // The page only decides what to render; the service authorizes (and audits) the reads.
  if (!principal.role) return <Forbidden what="the Approvals page" />;
  const seesRules = principal.role === "ADMINISTRATOR" || principal.role === "AUDITOR";
  const [requests, rules] = await Promise.all([listApprovalRequests(principal, {}), seesRules ? listApprovalRules(principal) : Promise.resolve(null)]);
  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-2xl font-semibold">Approvals</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Protected changes wait here until enough other people approve them (quorum). The requester never counts, each approver decides once, and
          the change runs as its requester when the last approval lands.
        </p>
      </div>
      <ApprovalRequests initial={requests} decide={decideAction} reveal={revealSecretAction} />
      {rules && <ApprovalRules rules={rules} operations={[...PROTECTABLE_OPERATIONS]} canEdit={principal.role === "ADMINISTRATOR"} updateRule={updateRuleAction} />}
    </div>
  );
}
