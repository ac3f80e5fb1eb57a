import Link from "next/link";
import { Fragment } from "react";
import { PolicyDiff } from "@/components/policy/policy-diff";
import { CustodyAndAccountSummary } from "./custody-and-account-summary";

const pretty = (text: unknown) => {
  if (typeof text !== "string") return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

const days = (v: unknown) => (typeof v === "number" ? `${v} days` : "kept forever");

/** Exactly what a request will change: the key and its state, the deletion window and date, the policy diff, the rule before and after. */
export function ChangeSummary({ operation, summary: s }: { operation: string; summary: Record<string, unknown> }) {
  const keyId = typeof s.keyId === "string" ? s.keyId : undefined;
  const deletionDate = (s.wouldAnswer as { DeletionDate?: string } | undefined)?.DeletionDate;
  const ruleAfter = s.ruleAfter as { operation?: string; approvals?: number; approverRole?: string } | undefined;
  const ruleBefore = s.ruleBefore as { approvals: number; approverRole: string } | null | undefined;
  return (
    <div className="flex flex-col gap-2 text-sm">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        {keyId && (
          <>
            <dt className="text-slate-500">Key</dt>
            <dd>
              <Link href={`/keys/${keyId}`} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
                {keyId}
              </Link>
              {typeof s.description === "string" && s.description && <span className="text-slate-600 dark:text-slate-400"> — {s.description}</span>}
              {typeof s.keyStateBefore === "string" && <span className="text-slate-600 dark:text-slate-400"> (was {s.keyStateBefore} when requested)</span>}
            </dd>
          </>
        )}
        {operation === "ScheduleKeyDeletion" && (
          <>
            <dt className="text-slate-500">Deletion</dt>
            <dd data-testid="deletion-summary">
              after a {String(s.pendingWindowInDays)}-day waiting period
              {deletionDate && <> — on {new Date(deletionDate).toLocaleDateString()} if approved on the day it was requested</>}
            </dd>
          </>
        )}
        {operation === "UpdateUserRole" && (
          <>
            <dt className="text-slate-500">User</dt>
            <dd>
              {String(s.username ?? "unknown")}: role {String(s.roleBefore ?? "none")} → {String(s.roleAfter ?? "none")}
            </dd>
          </>
        )}
        {(operation === "ResetUserPassword" || operation === "ResetUserMfa" || operation === "CreateAccessKey") && (
          <>
            <dt className="text-slate-500">User</dt>
            <dd>
              {String(s.username ?? "the requester")}
              {typeof s.role === "string" && <span className="text-slate-600 dark:text-slate-400"> (role {s.role})</span>}
              {operation === "ResetUserMfa" ? ": every second factor removed, sessions ended" : operation === "ResetUserPassword" ? ": new temporary password, sessions ended" : ": new access key"}
            </dd>
          </>
        )}
        <CustodyAndAccountSummary operation={operation} summary={s} />
        {operation === "UpdateAuditRetention" && (
          <>
            <dt className="text-slate-500">Audit retention</dt>
            <dd>
              {days(s.auditRetentionDaysBefore)} → {days(s.auditRetentionDaysAfter)} (older events are purged at the next scheduled turn)
            </dd>
          </>
        )}
        {typeof s.customKeyStoreName === "string" && (
          <>
            <dt className="text-slate-500">Key store</dt>
            <dd>
              {s.customKeyStoreName} on token {String(s.cloudHsmClusterId ?? "")}
              {typeof s.connectionStateBefore === "string" && <span className="text-slate-600 dark:text-slate-400"> ({s.connectionStateBefore} when requested)</span>}
            </dd>
          </>
        )}
        {/* Secret fields of the input (a PIN, an import token, wrapped material) are kept sealed, never shown. */}
        {Object.entries(s)
          .filter(([, v]) => v === "(hidden)")
          .map(([k]) => (
            <Fragment key={k}>
              <dt className="text-slate-500">{k}</dt>
              <dd>(hidden)</dd>
            </Fragment>
          ))}
        {ruleAfter && (
          <>
            <dt className="text-slate-500">Rule</dt>
            <dd>
              {ruleAfter.operation}:{" "}
              {ruleBefore ? `${ruleBefore.approvals} approval(s) from ${ruleBefore.approverRole}` : "no rule"} →{" "}
              {ruleAfter.approvals ? `${ruleAfter.approvals} approval(s) from ${ruleAfter.approverRole ?? "ADMINISTRATOR"}` : "no rule (removed)"}
            </dd>
          </>
        )}
      </dl>
      {operation === "PutKeyPolicy" && <PolicyDiff before={pretty(s.policyBefore)} after={pretty(s.policyAfter)} />}
    </div>
  );
}
