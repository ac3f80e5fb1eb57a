// AWS policy evaluation for one request: default deny, an explicit Deny
// anywhere wins, the key policy must allow — directly, or through the
// account-root statement, which delegates to the principal's identity
// policies — and grants add allows.
import { evaluateCondition, globMatch, type ConditionValues } from "./conditions";
import type { PolicyDocument, PrincipalSpec, Statement } from "./document";

export interface RequestContext {
  /** ARN of the caller (arn:aws:iam::<acct>:user/<name>, or …:root for the account). */
  principalArn: string;
  /** The caller's account. */
  account: string;
  /** "kms:Encrypt" */
  action: string;
  /** The key ARN, or "*" for account-level actions. */
  resource: string;
  /** Condition key values, keys lower-cased. */
  values: ConditionValues;
  /** The request's encryption context (for grant constraints). */
  encryptionContext?: Readonly<Record<string, string>>;
}

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/** The caller's identity policies, or "unrestricted" for the account root (no identity-policy limit, as AWS root). */
export type IdentityPolicies = NamedPolicy[] | "unrestricted";

export interface GrantLike {
  grantId: string;
  name?: string | null;
  granteePrincipal: string;
  operations: readonly string[];
  constraints?: { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> } | null;
}

export interface DecidingStatement {
  source: "key-policy" | "identity-policy" | "grant";
  /** Identity policy name (the role) when source is identity-policy. */
  policyName?: string;
  sid?: string;
  /** 0-based index of the statement in its document. */
  index?: number;
  grantId?: string;
}

export type DecisionReason =
  | "key-policy-allow"
  | "identity-policy-allow"
  | "grant-allow"
  | "key-policy-deny"
  | "identity-policy-deny"
  | "no-key-policy-allow"
  | "no-identity-policy-allow";

export interface Decision {
  allowed: boolean;
  explicitDeny: boolean;
  reason: DecisionReason;
  statement?: DecidingStatement;
}

const ROOT = /^arn:aws:iam::(\d{12}):root$/;

function isAccountEntry(p: string): string | undefined {
  if (/^\d{12}$/.test(p)) return p;
  return ROOT.exec(p)?.[1];
}

/** How a Principal element matches the caller: directly, through the caller's account (delegation), or not. */
export function principalMatch(spec: PrincipalSpec, ctx: RequestContext): "direct" | "account" | false {
  if (spec.any) return "direct";
  let result: "direct" | "account" | false = false;
  const callerIsRoot = ROOT.test(ctx.principalArn);
  for (const p of spec.aws) {
    if (p === ctx.principalArn) return "direct";
    const account = isAccountEntry(p);
    if (account && account === ctx.account) {
      if (callerIsRoot) return "direct";
      result = "account";
    }
  }
  return result;
}

export function actionMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => p === "*" || globMatch(p, action, true));
}

function resourceMatches(patterns: readonly string[], resource: string): boolean {
  return patterns.some((p) => p === "*" || globMatch(p, resource));
}

function actionAndResource(st: Statement, ctx: RequestContext): boolean {
  const action = st.action ? actionMatches(st.action, ctx.action) : !actionMatches(st.notAction ?? [], ctx.action);
  if (!action) return false;
  const resource = st.resource
    ? resourceMatches(st.resource, ctx.resource)
    : !resourceMatches(st.notResource ?? [], ctx.resource);
  if (!resource) return false;
  return st.condition.every((c) => evaluateCondition(c.operator, c.key, c.values, ctx.values));
}

/** Does a resource-policy statement apply to this request, and how does its principal match? */
export function statementApplies(st: Statement, ctx: RequestContext): "direct" | "account" | false {
  let how: "direct" | "account" | false;
  if (st.principal) how = principalMatch(st.principal, ctx);
  else if (st.notPrincipal) {
    // NotPrincipal: everyone except those listed (an account entry excludes only the account root).
    const listed = st.notPrincipal.any || st.notPrincipal.aws.some((p) => p === ctx.principalArn);
    how = listed ? false : "direct";
  } else how = "direct"; // identity policies have no principal: they belong to the caller
  if (!how) return false;
  return actionAndResource(st, ctx) ? how : false;
}

const statementRef = (source: DecidingStatement["source"], st: Statement, policyName?: string): DecidingStatement => ({
  source,
  ...(policyName ? { policyName } : {}),
  ...(st.sid ? { sid: st.sid } : {}),
  index: st.index,
});

const EC_OPERATIONS = new Set([
  "Encrypt",
  "Decrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "ReEncryptFrom",
  "ReEncryptTo",
]);

/** Does a grant allow this request (grantee, operation, encryption-context constraints)? */
export function grantAllows(grant: GrantLike, ctx: RequestContext): boolean {
  if (grant.granteePrincipal !== ctx.principalArn) return false;
  const operation = ctx.action.replace(/^kms:/i, "");
  if (!grant.operations.some((o) => o.toLowerCase() === operation.toLowerCase())) return false;
  const c = grant.constraints;
  if (!c || !EC_OPERATIONS.has(operation)) return true;
  const ec = ctx.encryptionContext ?? {};
  if (c.EncryptionContextEquals) {
    const want = c.EncryptionContextEquals;
    const keys = Object.keys(ec);
    if (keys.length !== Object.keys(want).length || keys.some((k) => want[k] !== ec[k])) return false;
  }
  if (c.EncryptionContextSubset) {
    for (const [k, v] of Object.entries(c.EncryptionContextSubset)) if (ec[k] !== v) return false;
  }
  return true;
}

function identityDecision(identity: IdentityPolicies, ctx: RequestContext): { deny?: DecidingStatement; allow?: DecidingStatement } {
  if (identity === "unrestricted") return { allow: { source: "identity-policy", policyName: "account root" } };
  let allow: DecidingStatement | undefined;
  for (const p of identity) {
    for (const st of p.document.statements) {
      if (!statementApplies(st, ctx)) continue;
      if (st.effect === "Deny") return { deny: statementRef("identity-policy", st, p.name) };
      allow ??= statementRef("identity-policy", st, p.name);
    }
  }
  return { allow };
}

/** Authorization for an action on a key: key policy + identity policies + grants. */
export function evaluateKeyAccess(input: {
  keyPolicy: PolicyDocument;
  identity: IdentityPolicies;
  /** Grants, or a function that loads them only when needed (implicit deny so far). */
  grants?: readonly GrantLike[];
  ctx: RequestContext;
}): Decision {
  const { keyPolicy, identity, ctx } = input;
  let direct: Statement | undefined;
  let delegation: Statement | undefined;
  for (const st of keyPolicy.statements) {
    const how = statementApplies(st, ctx);
    if (!how) continue;
    if (st.effect === "Deny") {
      return { allowed: false, explicitDeny: true, reason: "key-policy-deny", statement: statementRef("key-policy", st) };
    }
    if (how === "direct") direct ??= st;
    else delegation ??= st;
  }
  const id = identityDecision(identity, ctx);
  if (id.deny) return { allowed: false, explicitDeny: true, reason: "identity-policy-deny", statement: id.deny };
  if (direct) return { allowed: true, explicitDeny: false, reason: "key-policy-allow", statement: statementRef("key-policy", direct) };
  if (delegation && id.allow) return { allowed: true, explicitDeny: false, reason: "identity-policy-allow", statement: id.allow };
  for (const g of input.grants ?? []) {
    if (grantAllows(g, ctx)) {
      return { allowed: true, explicitDeny: false, reason: "grant-allow", statement: { source: "grant", grantId: g.grantId } };
    }
  }
  return {
    allowed: false,
    explicitDeny: false,
    reason: delegation ? "no-identity-policy-allow" : "no-key-policy-allow",
    ...(delegation ? { statement: statementRef("key-policy", delegation) } : {}),
  };
}

/** Authorization for an account-level action (no key): identity policies alone. */
export function evaluateAccountAccess(identity: IdentityPolicies, ctx: RequestContext): Decision {
  const id = identityDecision(identity, ctx);
  if (id.deny) return { allowed: false, explicitDeny: true, reason: "identity-policy-deny", statement: id.deny };
  if (id.allow) return { allowed: true, explicitDeny: false, reason: "identity-policy-allow", statement: id.allow };
  return { allowed: false, explicitDeny: false, reason: "no-identity-policy-allow" };
}

/** AWS's AccessDeniedException message for a decision. */
export function denialMessage(decision: Decision, ctx: RequestContext): string {
  const head = `User: ${ctx.principalArn} is not authorized to perform: ${ctx.action}`;
  const on = ctx.resource !== "*" ? ` on resource: ${ctx.resource}` : "";
  switch (decision.reason) {
    case "key-policy-deny":
      return `${head}${on} with an explicit deny in a resource-based policy`;
    case "identity-policy-deny":
      return `${head}${on} with an explicit deny in an identity-based policy`;
    case "no-identity-policy-allow":
      return `${head}${on} because no identity-based policy allows the ${ctx.action} action`;
    default:
      return `${head}${on} because no resource-based policy allows the ${ctx.action} action`;
  }
}
