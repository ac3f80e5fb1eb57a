// The one gate for protected operations, for every door (API, console): when
// a rule applies, the call is tried in a savepoint and rolled back (so bad
// input, a missing key or a missing permission answer as they always do),
// then held as an approval request. The request and the call's denial event
// commit in one transaction, and the caller gets AccessDeniedException naming
// the request. Executing an approved request bypasses the gate (execute.ts).
import { randomUUID } from "node:crypto";
import { buildRecord } from "@/lib/audit/record";
import { commitChange, currentChangeScope } from "@/lib/audit/change";
import { withCallFacts } from "@/lib/audit/context";
import { rollbackPoint } from "@/lib/db/transaction";
import type { Principal } from "@/lib/auth/principal";
import { AccessDeniedException, isKmsError } from "@/lib/errors";
import { kmsOperations } from "@/lib/kms";
import { checkConnectCustomKeyStore, checkDisconnectCustomKeyStore } from "@/lib/kms/operations/custom-key-store-connection";
import { invokeKms, type InvocationMeta } from "@/lib/kms/invoke";
import { accountId, region } from "@/lib/settings/account";
import { isKmsProtectable, POLICY_OPERATION } from "./operations";
import { sealApprovalSecret } from "@/lib/crypto/keystore/approval-secret";
import { hiddenFields, splitHeldInput, splitResult } from "./held-secrets";
import { createApprovalRequest } from "./requests";
import { applyApprovalRule, policyRule, ruleFor } from "./rules";
import { summarizeChange } from "./summary";
import { setUserRole } from "@/lib/accounts/users";
import { audited } from "@/lib/audit";
import { APPROVALS_EVENT_SOURCE } from "./operations";

/** The answer to a held call: AWS's AccessDeniedException, naming the request. */
export class ApprovalRequiredException extends AccessDeniedException {
  constructor(
    readonly approvalRequestId: string,
    operation: string,
    approvals: number,
    role: string,
    expiresAt: Date,
  ) {
    super(
      `${operation} requires ${approvals} approval(s) from role ${role}. Approval request ${approvalRequestId} was created; ` +
        `the call runs when it is approved (Approvals page), or the request expires at ${expiresAt.toISOString()}.`,
    );
  }
}

type Rule = { approvals: number; approverRole: string; ttlSeconds: number };

/** invokeKms for every door, with protected operations held for approval. */
export async function invokeKmsWithApproval(operation: string, caller: Principal, input: unknown, meta: InvocationMeta): Promise<object> {
  if (caller.kind === "operator" || !isKmsProtectable(operation) || !kmsOperations[operation]) return invokeKms(operation, caller, input, meta);
  const rule = await ruleFor(operation);
  if (!rule) return invokeKms(operation, caller, input, meta);
  const tryOnce = DRY_RUN_CHECKS[operation] ?? kmsOperations[operation];
  return hold(operation, "kms.amazonaws.com", caller, input, meta, rule, () => tryOnce(caller, input));
}

// Operations that act outside the database (an HSM login, closing its sessions) are not run in
// the dry run, which only rolls back the database: their checks are, up to that point.
const DRY_RUN_CHECKS: Record<string, (caller: Principal, input: unknown) => Promise<unknown>> = {
  ConnectCustomKeyStore: async (caller, input) => (await checkConnectCustomKeyStore(caller, input), {}),
  DisconnectCustomKeyStore: async (caller, input) => (await checkDisconnectCustomKeyStore(caller, input), {}),
};

/** Sets or removes an approval rule; once any rule exists, that change itself needs approval. */
export async function updateApprovalRule(caller: Principal, input: unknown, meta: InvocationMeta = { source: "console" }): Promise<unknown> {
  const rule = caller.kind === "operator" ? null : await policyRule();
  const call = { eventName: POLICY_OPERATION, eventSource: APPROVALS_EVENT_SOURCE, caller, via: meta.source, request: input, requestId: meta.requestId, accessKeyId: meta.accessKeyId };
  if (!rule) return audited(call, () => applyApprovalRule(caller, input));
  return hold(POLICY_OPERATION, APPROVALS_EVENT_SOURCE, caller, input, meta, rule, () => applyApprovalRule(caller, input));
}

/** setUserRole for the console, held for approval when a rule protects UpdateUserRole (the operator's CLI is never held). */
export async function setUserRoleWithApproval(caller: Principal, input: unknown, meta: InvocationMeta = { source: "console" }): Promise<unknown> {
  const rule = caller.kind === "operator" ? null : await ruleFor("UpdateUserRole");
  if (!rule) return setUserRole(caller, input);
  return hold("UpdateUserRole", "iam.amazonaws.com", caller, input, meta, rule, () => setUserRole(caller, input));
}

/**
 * Holds the call for approval (see the top of this file). `tryOnce` is the
 * dry run; `eventName` when the held call's event is not the operation's
 * name (UpdateAuditRetention is an UpdateSettings call).
 */
export async function hold(
  operation: string,
  eventSource: string,
  caller: Principal,
  input: unknown,
  meta: InvocationMeta,
  rule: Rule,
  tryOnce: () => Promise<unknown>,
  eventName = operation,
): Promise<never> {
  let keyArns: string[] = [];
  const created = await commitChange(
    async () => {
      const summary = await summarizeChange(operation, input);
      const { facts, result } = withCallFacts(() => dryRun(operation, tryOnce));
      const tried = await result;
      keyArns = facts.keyArns;
      const id = randomUUID();
      const held = splitHeldInput(operation, input);
      return createApprovalRequest({
        id,
        operation,
        input: held.input,
        sealedInput: held.secret === null ? null : await sealApprovalSecret(id, "input", held.secret),
        caller,
        via: meta.source,
        accessKeyId: meta.accessKeyId,
        rule,
        summary: { ...summary, ...hiddenFields(operation, input), ...tried, keyArns },
      });
    },
    async (outcome) =>
      buildRecord({
        eventName,
        eventSource,
        caller,
        accessKeyId: meta.accessKeyId,
        via: meta.source,
        region: region(),
        accountId: await accountId(),
        requestId: meta.requestId,
        sourceIp: caller.sourceIp,
        userAgent: caller.userAgent,
        request: input,
        readOnly: false,
        keyArns,
        ...(outcome.error !== undefined
          ? { error: isKmsError(outcome.error) ? { name: outcome.error.name, message: outcome.error.message } : { name: "KMSInternalException", message: "Internal error" } }
          : {
              error: { name: "AccessDeniedException", message: requiredError(outcome.value!, operation, rule).message },
              approval: { requestId: outcome.value!.id },
            }),
      }),
  );
  throw requiredError(created, operation, rule);
}

function requiredError(request: { id: string; expiresAt: Date }, operation: string, rule: Rule) {
  return new ApprovalRequiredException(request.id, operation, rule.approvals, rule.approverRole, request.expiresAt);
}

/**
 * Runs the call inside a savepoint and rolls it back whatever happens: it
 * checks everything the real call would (input, key state, authorization)
 * and tells what it would answer (e.g. the deletion date), changing nothing.
 */
async function dryRun(operation: string, tryOnce: () => Promise<unknown>): Promise<{ wouldAnswer?: unknown }> {
  const scope = currentChangeScope()!;
  const kept = scope.events.length;
  await scope.tx.$executeRawUnsafe("SAVEPOINT keyhold_approval_dry_run");
  const rolledBack = rollbackPoint(); // effects outside the database (an HSM object) are undone too
  try {
    // A secret in the answer (a throwaway access key secret or password) is never shown.
    const answer = splitResult(operation, await tryOnce()).response;
    return { wouldAnswer: answer };
  } finally {
    scope.events.length = kept;
    await scope.tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT keyhold_approval_dry_run");
    rolledBack();
  }
}
