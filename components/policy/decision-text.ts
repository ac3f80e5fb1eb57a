// Words for the policy engine's decisions, shared by the policy simulator and
// the playground's denials (pure: tested in decision-text.test.ts).
import type { DenialFacts } from "@/lib/kms/denial";
import type { DecidingStatement, DecisionReason } from "@/lib/policy/evaluate";

export const REASONS: Record<DecisionReason, string> = {
  "key-policy-allow": "Allowed by the key policy",
  "identity-policy-allow": "Allowed by an identity policy (the key policy delegates to IAM)",
  "grant-allow": "Allowed by a grant",
  "key-policy-deny": "Explicit deny in the key policy",
  "identity-policy-deny": "Explicit deny in an identity policy",
  "no-key-policy-allow": "Implicit deny: no key policy statement allows it",
  "no-identity-policy-allow": "Implicit deny: the key policy delegates to identity policies, and none allows it",
};

/** "Key policy, statement 2 (Sid "Allow use of the key")" and the like. */
export function describeStatement(s: DecidingStatement | undefined): string {
  if (!s) return "—";
  const at = s.index !== undefined ? `statement ${s.index + 1}` : "";
  const sid = s.sid ? ` (Sid "${s.sid}")` : "";
  if (s.source === "grant") return `Grant ${s.grantId ?? ""}`.trim();
  if (s.source === "key-policy") return `Key policy, ${at}${sid}`;
  return [`Identity policy ${s.policyName ?? ""}`.trim(), at].filter(Boolean).join(", ") + sid;
}

/** One sentence a denied caller can act on: which statement refused, or that none allowed, and who can change it. */
export function explainDenial(d: DenialFacts): string {
  const what = `${d.action} on ${d.resource === "*" ? "this account" : d.resource}`;
  switch (d.reason) {
    case "key-policy-deny":
      return `${what} was refused by an explicit Deny: ${describeStatement(d.statement)}. A key administrator can change the key policy.`;
    case "identity-policy-deny":
      return `${what} was refused by an explicit Deny in your role: ${describeStatement(d.statement)}. An administrator can change your role.`;
    case "no-identity-policy-allow":
      return d.statement
        ? `${what} was not allowed: ${describeStatement(d.statement)} delegates to your role's policies, and none of them allows it (nor does a grant).`
        : `${what} was not allowed: none of your role's policies allows it.`;
    default:
      return `${what} was not allowed: no statement of the key policy allows it for you, nor does a grant. A key administrator can add you to the key's users.`;
  }
}
