import { describe, expect, it } from "vitest";
import { describeStatement, explainDenial } from "./decision-text";

const ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("decision text", () => {
  it("names a statement by source, position and Sid", () => {
    expect(describeStatement({ source: "key-policy", index: 1, sid: "Deny pairs" })).toBe('Key policy, statement 2 (Sid "Deny pairs")');
    expect(describeStatement({ source: "identity-policy", policyName: "KeyUser", index: 0 })).toBe("Identity policy KeyUser, statement 1");
    expect(describeStatement({ source: "grant", grantId: "abc" })).toBe("Grant abc");
    expect(describeStatement(undefined)).toBe("—");
  });

  it("explains an explicit deny in the key policy by its statement", () => {
    const text = explainDenial({ action: "kms:Sign", resource: ARN, reason: "key-policy-deny", statement: { source: "key-policy", index: 2, sid: "NoSigning" } });
    expect(text).toBe(`kms:Sign on ${ARN} was refused by an explicit Deny: Key policy, statement 3 (Sid "NoSigning"). A key administrator can change the key policy.`);
  });

  it("explains a deny in the caller's role", () => {
    const text = explainDenial({ action: "kms:Decrypt", resource: ARN, reason: "identity-policy-deny", statement: { source: "identity-policy", policyName: "Auditors", index: 0 } });
    expect(text).toContain("explicit Deny in your role: Identity policy Auditors, statement 1");
  });

  it("explains implicit denials: delegated to a role that does not allow it, or no statement at all", () => {
    const delegated = explainDenial({ action: "kms:Encrypt", resource: ARN, reason: "no-identity-policy-allow", statement: { source: "key-policy", index: 0, sid: "Enable IAM User Permissions" } });
    expect(delegated).toContain('Key policy, statement 1 (Sid "Enable IAM User Permissions") delegates to your role');
    expect(explainDenial({ action: "kms:GenerateRandom", resource: "*", reason: "no-identity-policy-allow" })).toBe(
      "kms:GenerateRandom on this account was not allowed: none of your role's policies allows it.",
    );
    expect(explainDenial({ action: "kms:Encrypt", resource: ARN, reason: "no-key-policy-allow" })).toContain("no statement of the key policy allows it for you");
  });
});
