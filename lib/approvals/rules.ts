// Approval rules: which operation needs how many approvals from which role.
// No rule at all (a fresh install) means quorum is off and one person can do
// everything, which the console's banner says.
import { ROLES, authorize } from "@/lib/access/authorize";
import { auditedOperation } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type ApprovalRule, type Role } from "@/lib/db/client";
import { ValidationException } from "@/lib/errors";
import { DEFAULT_TTL_SECONDS, POLICY_OPERATION, APPROVALS_EVENT_SOURCE, isProtectable, PROTECTABLE_OPERATIONS } from "./operations";

export interface RuleSummary {
  operation: string;
  approvals: number;
  approverRole: Role;
  ttlSeconds: number;
  updatedAt: string;
  updatedBy: string;
}

/** UpdateApprovalRule input: `approvals: 0` (or `off: true`) removes the rule. */
export interface RuleInput {
  operation: string;
  approvals: number;
  approverRole?: Role;
  ttlSeconds?: number;
}

const MAX_APPROVALS = 10;

function summarize(r: ApprovalRule): RuleSummary {
  return { operation: r.operation, approvals: r.approvals, approverRole: r.approverRole, ttlSeconds: r.ttlSeconds, updatedAt: r.updatedAt.toISOString(), updatedBy: r.updatedBy };
}

export function parseRuleInput(raw: unknown): RuleInput {
  const input = (raw ?? {}) as Record<string, unknown>;
  const operation = input.operation;
  if (typeof operation !== "string" || !isProtectable(operation)) {
    throw new ValidationException(`operation must be one of: ${PROTECTABLE_OPERATIONS.join(", ")}.`);
  }
  const approvals = input.approvals;
  if (typeof approvals !== "number" || !Number.isInteger(approvals) || approvals < 0 || approvals > MAX_APPROVALS) {
    throw new ValidationException(`approvals must be a whole number from 1 to ${MAX_APPROVALS} (0 removes the rule).`);
  }
  const approverRole = input.approverRole ?? "ADMINISTRATOR";
  if (typeof approverRole !== "string" || !(ROLES as readonly string[]).includes(approverRole)) {
    throw new ValidationException(`approverRole must be one of: ${ROLES.join(", ")}.`);
  }
  const ttlSeconds = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (typeof ttlSeconds !== "number" || !Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 30 * 86400) {
    throw new ValidationException("ttlSeconds must be a whole number of seconds from 60 to 2592000 (30 days).");
  }
  return { operation, approvals, approverRole: approverRole as Role, ttlSeconds };
}

export async function ruleFor(operation: string): Promise<ApprovalRule | null> {
  return prisma.approvalRule.findUnique({ where: { operation } });
}

/**
 * The rule that guards the approval policy itself: its own rule when set,
 * otherwise — once any rule exists — the strictest existing rule, so one
 * administrator can never switch quorum off alone.
 */
export async function policyRule(): Promise<Pick<ApprovalRule, "approvals" | "approverRole" | "ttlSeconds"> | null> {
  const own = await ruleFor(POLICY_OPERATION);
  if (own) return own;
  const strictest = await prisma.approvalRule.findFirst({ orderBy: { approvals: "desc" } });
  return strictest ? { approvals: strictest.approvals, approverRole: "ADMINISTRATOR", ttlSeconds: DEFAULT_TTL_SECONDS } : null;
}

export async function quorumIsOff(): Promise<boolean> {
  return (await prisma.approvalRule.count()) === 0;
}

/** Users who could approve for `role`: active, not service accounts. */
export async function eligibleApproverCount(role: Role): Promise<number> {
  return prisma.user.count({ where: { role, disabled: false, serviceAccount: false } });
}

/**
 * Sets or removes a rule (no quorum check here: lib/approvals/gate.ts holds a
 * console or API change for approval; the host's operator sets rules directly).
 */
export async function applyApprovalRule(caller: Principal, raw: unknown): Promise<{ rule: RuleSummary | null }> {
  authorize(caller, "keyhold:UpdateApprovalRule", ["ADMINISTRATOR"]);
  const input = parseRuleInput(raw);
  if (input.approvals === 0) {
    await prisma.approvalRule.deleteMany({ where: { operation: input.operation } });
    return { rule: null };
  }
  // A rule nobody can satisfy would block the operation for good: M approvers besides the requester must exist.
  const eligible = await eligibleApproverCount(input.approverRole!);
  if (eligible < input.approvals + 1) {
    throw new ValidationException(
      `${input.approvals} approval(s) from role ${input.approverRole} need at least ${input.approvals + 1} active users with that role (the requester never counts); there are ${eligible}.`,
    );
  }
  const data = { approvals: input.approvals, approverRole: input.approverRole!, ttlSeconds: input.ttlSeconds!, updatedBy: caller.arn };
  const rule = await prisma.approvalRule.upsert({ where: { operation: input.operation }, create: { operation: input.operation, ...data }, update: data });
  return { rule: summarize(rule) };
}

export const listApprovalRules = auditedOperation(
  "ListApprovalRules",
  APPROVALS_EVENT_SOURCE,
  async (caller: Principal): Promise<RuleSummary[]> => {
    authorize(caller, "keyhold:ListApprovalRules", ["ADMINISTRATOR", "AUDITOR"]);
    return (await prisma.approvalRule.findMany({ orderBy: { operation: "asc" } })).map(summarize);
  },
  { readOnly: true },
);
