// The policy simulator: what the engine would decide for principals × actions
// on a key (or the account), with an optional encryption context and source IP.
// Read-only; for administrators and auditors.
import { authorize } from "@/lib/access/authorize";
import { audited } from "@/lib/audit";
import { operatorPrincipal, userPrincipal, type Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { NotFoundException, ValidationException } from "@/lib/errors";
import { decideAccountAction, decideKeyAction } from "./authorize";
import { kmsContext } from "./context";
import { resolveKey } from "./resolve";
import { denialMessage, type DecidingStatement, type DecisionReason } from "@/lib/policy/evaluate";

/** Actions decided by identity policies alone (no key). */
export const ACCOUNT_ACTIONS = new Set(["kms:CreateKey", "kms:ListKeys", "kms:ListAliases", "kms:GenerateRandom", "kms:ListRetirableGrants"]);

export interface SimulationRequest {
  /** Usernames, user ARNs, or the account root ARN. */
  principals: string[];
  /** "kms:Encrypt" or "Encrypt". */
  actions: string[];
  keyId?: string;
  encryptionContext?: Record<string, string>;
  sourceIp?: string;
}

export interface SimulationResult {
  principal: string;
  action: string;
  resource: string;
  allowed: boolean;
  explicitDeny: boolean;
  reason: DecisionReason;
  statement?: DecidingStatement;
  /** AWS's AccessDeniedException message when denied. */
  message?: string;
}

async function principalFor(name: string, account: string, sourceIp?: string): Promise<Principal> {
  if (name === `arn:aws:iam::${account}:root` || name === account) return { ...operatorPrincipal(account), ...(sourceIp ? { sourceIp } : {}) };
  const m = /^arn:aws:iam::(\d{12}):user\/(.+)$/.exec(name);
  if (m && m[1] !== account) throw new ValidationException(`${name} is not in this account (${account}).`);
  const username = m ? m[2]! : name;
  const user = await prisma.user.findUnique({ where: { username }, include: { customRole: true } });
  if (!user) throw new NotFoundException(`No user named ${username}.`);
  return userPrincipal(account, { ...user, mustChangePassword: false }, sourceIp ? { sourceIp } : {});
}

/**
 * What the policies would decide for each principal × action. Audited like
 * any read (allowed or denied): it tells who can do what with which key.
 */
export function simulatePolicy(caller: Principal, request: SimulationRequest): Promise<SimulationResult[]> {
  return audited(
    {
      eventName: "SimulatePolicy",
      eventSource: SIMULATOR_EVENT_SOURCE,
      caller,
      via: caller.kind === "operator" ? "cli" : "console",
      request: { principals: request.principals, actions: request.actions, keyId: request.keyId, sourceIp: request.sourceIp },
      readOnly: true,
      recordedResponse: (results) => {
        const list = results as SimulationResult[];
        return { decisions: list.length, denied: list.filter((r) => !r.allowed).length };
      },
    },
    () => simulate(caller, request),
  );
}

/** Keyhold's own console reads are recorded under this event source. */
export const SIMULATOR_EVENT_SOURCE = "keyhold.amazonaws.com";

async function simulate(caller: Principal, request: SimulationRequest): Promise<SimulationResult[]> {
  authorize(caller, "keyhold:SimulatePolicy", ["ADMINISTRATOR", "AUDITOR"]);
  if (request.principals.length === 0 || request.actions.length === 0) {
    throw new ValidationException("Pick at least one principal and one action.");
  }
  if (request.principals.length * request.actions.length > 500) throw new ValidationException("At most 500 principal × action pairs.");
  const ctx = await kmsContext();
  const key = request.keyId ? (await resolveKey(ctx, request.keyId)).key : undefined;
  const results: SimulationResult[] = [];
  for (const name of request.principals) {
    const principal = await principalFor(name.trim(), ctx.account, request.sourceIp);
    for (const raw of request.actions) {
      const action = raw.includes(":") ? raw : `kms:${raw}`;
      const conditions = { encryptionContext: request.encryptionContext };
      const { decision, request: rc } =
        key && !ACCOUNT_ACTIONS.has(action)
          ? await decideKeyAction(principal, action, ctx, key, conditions)
          : decideAccountAction(principal, action, conditions);
      results.push({
        principal: principal.arn,
        action,
        resource: rc.resource,
        allowed: decision.allowed,
        explicitDeny: decision.explicitDeny,
        reason: decision.reason,
        ...(decision.statement ? { statement: decision.statement } : {}),
        ...(!decision.allowed ? { message: denialMessage(decision, rc) } : {}),
      });
    }
  }
  return results;
}
