import { describe, expect, it } from "vitest";
import {
  evaluateAccountAccess,
  evaluateCondition,
  evaluateKeyAccess,
  parsePolicy,
  parsePolicyObject,
  rolePolicy,
  type ConditionValues,
  type RequestContext,
} from "@/lib/policy";

const ACCT = "111122223333";
const ROOT = `arn:aws:iam::${ACCT}:root`;
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;
const BOB = `arn:aws:iam::${ACCT}:user/bob`;
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const v = (o: Record<string, string | string[]>): ConditionValues =>
  Object.fromEntries(Object.entries(o).map(([k, x]) => [k.toLowerCase(), Array.isArray(x) ? x : [x]]));

describe("condition operators", () => {
  const cases: Array<[string, string, string[], Record<string, string | string[]>, boolean]> = [
    ["StringEquals", "kms:EncryptionContext:dept", ["eng"], { "kms:EncryptionContext:dept": "eng" }, true],
    ["StringEquals", "kms:EncryptionContext:dept", ["eng"], { "kms:EncryptionContext:dept": "ENG" }, false],
    ["StringEquals", "kms:EncryptionContext:dept", ["eng"], {}, false],
    ["StringNotEquals", "kms:EncryptionContext:dept", ["eng"], { "kms:EncryptionContext:dept": "ops" }, true],
    ["StringNotEquals", "kms:EncryptionContext:dept", ["eng"], {}, true],
    ["StringEqualsIgnoreCase", "kms:EncryptionContext:dept", ["eng"], { "kms:EncryptionContext:dept": "ENG" }, true],
    ["StringNotEqualsIgnoreCase", "kms:EncryptionContext:dept", ["eng"], { "kms:EncryptionContext:dept": "ENG" }, false],
    ["StringLike", "aws:username", ["ali*"], { "aws:username": "alice" }, true],
    ["StringLike", "aws:username", ["al?ce"], { "aws:username": "alice" }, true],
    ["StringLike", "aws:username", ["b*"], { "aws:username": "alice" }, false],
    ["StringNotLike", "aws:username", ["b*"], { "aws:username": "alice" }, true],
    ["StringEqualsIfExists", "kms:EncryptionAlgorithm", ["RSAES_OAEP_SHA_256"], {}, true],
    ["StringEqualsIfExists", "kms:EncryptionAlgorithm", ["RSAES_OAEP_SHA_256"], { "kms:EncryptionAlgorithm": "RSAES_OAEP_SHA_1" }, false],
    ["Bool", "aws:SecureTransport", ["true"], { "aws:SecureTransport": "true" }, true],
    ["Bool", "aws:SecureTransport", ["true"], {}, false],
    ["BoolIfExists", "aws:SecureTransport", ["true"], {}, true],
    ["Null", "kms:EncryptionContextKeys", ["true"], {}, true],
    ["Null", "kms:EncryptionContextKeys", ["false"], {}, false],
    ["Null", "kms:EncryptionContextKeys", ["false"], { "kms:EncryptionContextKeys": ["a"] }, true],
    ["NumericLessThanEquals", "kms:ScheduleKeyDeletionPendingWindowInDays", ["10"], { "kms:ScheduleKeyDeletionPendingWindowInDays": "7" }, true],
    ["NumericGreaterThan", "kms:RotationPeriodInDays", ["180"], { "kms:RotationPeriodInDays": "90" }, false],
    ["NumericEquals", "kms:RotationPeriodInDays", ["365"], { "kms:RotationPeriodInDays": "365" }, true],
    ["NumericNotEquals", "kms:RotationPeriodInDays", ["365"], { "kms:RotationPeriodInDays": "365" }, false],
    ["DateLessThan", "aws:CurrentTime", ["2030-01-01T00:00:00Z"], { "aws:CurrentTime": "2026-06-01T00:00:00Z" }, true],
    ["DateGreaterThan", "aws:CurrentTime", ["2030-01-01T00:00:00Z"], { "aws:CurrentTime": "2026-06-01T00:00:00Z" }, false],
    ["DateGreaterThanEquals", "aws:CurrentTime", ["1700000000"], { "aws:CurrentTime": "2026-06-01T00:00:00Z" }, true],
    ["ArnLike", "aws:PrincipalArn", [`arn:aws:iam::${ACCT}:user/ali*`], { "aws:PrincipalArn": ALICE }, true],
    ["ArnLike", "aws:PrincipalArn", ["arn:aws:iam::*:user/bob"], { "aws:PrincipalArn": ALICE }, false],
    ["ArnEquals", "aws:PrincipalArn", [ALICE], { "aws:PrincipalArn": ALICE }, true],
    ["ArnNotEquals", "aws:PrincipalArn", [ALICE], { "aws:PrincipalArn": BOB }, true],
    ["ArnNotLike", "aws:PrincipalArn", [`arn:aws:iam::${ACCT}:user/*`], { "aws:PrincipalArn": BOB }, false],
    ["IpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "10.1.2.3" }, true],
    ["IpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "192.168.1.1" }, false],
    ["IpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "::ffff:10.1.2.3" }, true],
    ["IpAddress", "aws:SourceIp", ["2001:db8::/32"], { "aws:SourceIp": "2001:db8:1::5" }, true],
    ["IpAddress", "aws:SourceIp", ["2001:db8::/32"], { "aws:SourceIp": "2001:db9::5" }, false],
    ["NotIpAddress", "aws:SourceIp", ["10.0.0.0/8", "192.168.0.0/16"], { "aws:SourceIp": "203.0.113.7" }, true],
    ["NotIpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "10.9.9.9" }, false],
    ["IpAddress", "aws:SourceIp", ["203.0.113.7"], { "aws:SourceIp": "203.0.113.7" }, true],
    ["ForAllValues:StringEquals", "kms:EncryptionContextKeys", ["a", "b"], { "kms:EncryptionContextKeys": ["a"] }, true],
    ["ForAllValues:StringEquals", "kms:EncryptionContextKeys", ["a", "b"], { "kms:EncryptionContextKeys": ["a", "c"] }, false],
    ["ForAllValues:StringEquals", "kms:EncryptionContextKeys", ["a"], {}, true],
    ["ForAnyValue:StringEquals", "kms:EncryptionContextKeys", ["a"], { "kms:EncryptionContextKeys": ["c", "a"] }, true],
    ["ForAnyValue:StringEquals", "kms:EncryptionContextKeys", ["a"], { "kms:EncryptionContextKeys": ["c"] }, false],
    ["ForAnyValue:StringEquals", "kms:EncryptionContextKeys", ["a"], {}, false],
    ["ForAnyValue:StringLike", "kms:ResourceAliases", ["alias/finance-*"], { "kms:ResourceAliases": ["alias/x", "alias/finance-1"] }, true],
    ["ForAllValues:StringLike", "kms:GrantOperations", ["Encrypt", "Decrypt", "GenerateDataKey*"], { "kms:GrantOperations": ["Encrypt", "GenerateDataKeyWithoutPlaintext"] }, true],
    ["ForAllValues:StringLike", "kms:GrantOperations", ["Encrypt", "Decrypt"], { "kms:GrantOperations": ["Encrypt", "CreateGrant"] }, false],
    ["ForAllValues:StringNotEquals", "kms:GrantOperations", ["CreateGrant"], { "kms:GrantOperations": ["Encrypt"] }, true],
    ["StringEquals", "aws:ResourceTag/Project", ["${aws:username}"], { "aws:ResourceTag/Project": "alice", "aws:username": "alice" }, true],
    ["StringEquals", "aws:ResourceTag/Project", ["${aws:username}"], { "aws:ResourceTag/Project": "alice", "aws:username": "bob" }, false],
  ];
  it.each(cases)("%s %s %j with %j → %s", (operator, key, values, request, expected) => {
    expect(evaluateCondition(operator, key, values, v(request))).toBe(expected);
  });

  it("condition key names are case-insensitive", () => {
    expect(evaluateCondition("StringEquals", "KMS:EncryptionContext:Dept", ["eng"], v({ "kms:encryptioncontext:dept": "eng" }))).toBe(true);
  });
});

function ctx(over: Partial<RequestContext> = {}): RequestContext {
  return { principalArn: ALICE, account: ACCT, action: "kms:Encrypt", resource: KEY, values: {}, ...over };
}

const rootPolicy = parsePolicy(
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }],
  }),
);
const keyUser = [{ name: "KeyUser", document: rolePolicy("KEY_USER") }];
const auditor = [{ name: "Auditor", document: rolePolicy("AUDITOR") }];

describe("evaluation", () => {
  it("root delegation: the key policy's account statement defers to the identity policy", () => {
    const allowed = evaluateKeyAccess({ keyPolicy: rootPolicy, identity: keyUser, ctx: ctx() });
    expect(allowed).toMatchObject({ allowed: true, reason: "identity-policy-allow", statement: { source: "identity-policy", sid: "UseKeys" } });
    const denied = evaluateKeyAccess({ keyPolicy: rootPolicy, identity: auditor, ctx: ctx() });
    expect(denied).toMatchObject({ allowed: false, explicitDeny: false, reason: "no-identity-policy-allow" });
    expect(evaluateKeyAccess({ keyPolicy: rootPolicy, identity: [], ctx: ctx() }).allowed).toBe(false);
  });

  it("the bare account ID is the account root too", () => {
    const p = parsePolicyObject({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ACCT }, Action: "kms:*", Resource: "*" }] });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: keyUser, ctx: ctx() }).allowed).toBe(true);
    expect(evaluateKeyAccess({ keyPolicy: p, identity: "unrestricted", ctx: ctx({ principalArn: ROOT }) })).toMatchObject({
      allowed: true,
      reason: "key-policy-allow",
    });
  });

  it("the account root is allowed by the root statement with no identity limit, and not without it", () => {
    expect(evaluateKeyAccess({ keyPolicy: rootPolicy, identity: "unrestricted", ctx: ctx({ principalArn: ROOT, action: "kms:PutKeyPolicy" }) }).allowed).toBe(true);
    const onlyAlice = parsePolicyObject({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ALICE }, Action: "kms:*", Resource: "*" }] });
    expect(evaluateKeyAccess({ keyPolicy: onlyAlice, identity: "unrestricted", ctx: ctx({ principalArn: ROOT }) })).toMatchObject({
      allowed: false,
      reason: "no-key-policy-allow",
    });
  });

  it("a key policy naming the user allows without any identity policy", () => {
    const p = parsePolicyObject({
      Version: "2012-10-17",
      Statement: [{ Sid: "AliceEncrypts", Effect: "Allow", Principal: { AWS: [ALICE] }, Action: ["kms:Encrypt"], Resource: "*" }],
    });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx() })).toMatchObject({ allowed: true, statement: { sid: "AliceEncrypts" } });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:Decrypt" }) }).reason).toBe("no-key-policy-allow");
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ principalArn: BOB }) }).allowed).toBe(false);
  });

  it("explicit deny wins over every allow (key policy and identity policy)", () => {
    const p = parsePolicyObject({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" },
        { Effect: "Allow", Principal: { AWS: ALICE }, Action: "kms:*", Resource: "*" },
        { Sid: "NoEncryptOutsideVpn", Effect: "Deny", Principal: "*", Action: "kms:Encrypt", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
      ],
    });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: keyUser, ctx: ctx({ values: v({ "aws:SourceIp": "203.0.113.1" }) }) })).toMatchObject({
      allowed: false,
      explicitDeny: true,
      reason: "key-policy-deny",
      statement: { sid: "NoEncryptOutsideVpn", index: 2 },
    });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: keyUser, ctx: ctx({ values: v({ "aws:SourceIp": "10.0.0.1" }) }) }).allowed).toBe(true);
    const denyIdentity = parsePolicyObject(
      { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "kms:*", Resource: "*" }] },
      { kind: "identity" },
    );
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [{ name: "deny", document: denyIdentity }], ctx: ctx({ values: v({ "aws:SourceIp": "10.0.0.1" }) }) }).reason).toBe("identity-policy-deny");
    // Grants never override a deny.
    const grants = [{ grantId: "g", granteePrincipal: ALICE, operations: ["Encrypt"] }];
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], grants, ctx: ctx({ values: v({ "aws:SourceIp": "203.0.113.1" }) }) }).explicitDeny).toBe(true);
  });

  it("NotAction, NotPrincipal and NotResource", () => {
    const p = parsePolicyObject({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: ALICE }, NotAction: ["kms:Decrypt", "kms:ReEncrypt*"], Resource: "*" },
        { Effect: "Deny", NotPrincipal: { AWS: [ALICE, ROOT] }, Action: "kms:*", Resource: "*" },
        { Effect: "Allow", Principal: { AWS: BOB }, Action: "kms:*", NotResource: KEY },
      ],
    });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx() }).allowed).toBe(true);
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:Decrypt" }) }).allowed).toBe(false);
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:ReEncryptFrom" }) }).allowed).toBe(false);
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ principalArn: BOB }) })).toMatchObject({ explicitDeny: true });
  });

  it("action wildcards are case-insensitive; resource wildcards match key ARNs", () => {
    const p = parsePolicyObject({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: ALICE }, Action: "KMS:generate*", Resource: `arn:aws:kms:us-east-1:${ACCT}:key/*` }],
    });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:GenerateDataKeyWithoutPlaintext" }) }).allowed).toBe(true);
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:Encrypt" }) }).allowed).toBe(false);
    expect(
      evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:GenerateMac", resource: KEY.replace("us-east-1", "eu-west-1") }) }).allowed,
    ).toBe(false);
  });

  it("Principal * allows anyone; conditions still apply", () => {
    const p = parsePolicyObject({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCT } } }],
    });
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:Decrypt", values: v({ "kms:CallerAccount": ACCT }) }) }).allowed).toBe(true);
    expect(evaluateKeyAccess({ keyPolicy: p, identity: [], ctx: ctx({ action: "kms:Decrypt", values: v({ "kms:CallerAccount": "999988887777" }) }) }).allowed).toBe(false);
  });

  it("grants add allows, with EncryptionContextEquals and EncryptionContextSubset constraints", () => {
    const none = parsePolicyObject({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: BOB }, Action: "kms:*", Resource: "*" }] });
    const eq = { grantId: "eq", granteePrincipal: ALICE, operations: ["Encrypt"], constraints: { EncryptionContextEquals: { a: "1" } } };
    const sub = { grantId: "sub", granteePrincipal: ALICE, operations: ["Decrypt"], constraints: { EncryptionContextSubset: { a: "1" } } };
    const run = (action: string, ec?: Record<string, string>) =>
      evaluateKeyAccess({ keyPolicy: none, identity: [], grants: [eq, sub], ctx: ctx({ action, ...(ec ? { encryptionContext: ec } : {}) }) });
    expect(run("kms:Encrypt", { a: "1" })).toMatchObject({ allowed: true, reason: "grant-allow", statement: { grantId: "eq" } });
    expect(run("kms:Encrypt", { a: "1", b: "2" }).allowed).toBe(false);
    expect(run("kms:Encrypt").allowed).toBe(false);
    expect(run("kms:Decrypt", { a: "1", b: "2" }).allowed).toBe(true);
    expect(run("kms:Decrypt", { a: "2" }).allowed).toBe(false);
    expect(run("kms:GenerateDataKey", { a: "1" }).allowed).toBe(false);
  });

  it("account-level actions are decided by the identity policy alone", () => {
    const c = ctx({ action: "kms:CreateKey", resource: "*" });
    expect(evaluateAccountAccess([{ name: "KA", document: rolePolicy("KEY_ADMINISTRATOR") }], c).allowed).toBe(true);
    expect(evaluateAccountAccess(keyUser, c)).toMatchObject({ allowed: false, reason: "no-identity-policy-allow" });
    expect(evaluateAccountAccess("unrestricted", c).allowed).toBe(true);
  });
});

describe("grammar (MalformedPolicyDocumentException with the exact problem)", () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ["not JSON", "{", /not valid JSON/],
    ["wrong version", { Version: "2020-01-01", Statement: [] }, /Version must be "2012-10-17"/],
    ["no statement", { Version: "2012-10-17" }, /has no Statement/],
    ["bad effect", { Version: "2012-10-17", Statement: [{ Effect: "Permit", Principal: "*", Action: "kms:*", Resource: "*" }] }, /statement 1.*Effect must be "Allow" or "Deny"/i],
    ["no principal", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }, /has no Principal/],
    ["bad principal", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "bob" }, Action: "kms:*", Resource: "*" }] }, /invalid principal: "bob"/],
    ["bad action", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "Encrypt", Resource: "*" }] }, /invalid action: "Encrypt"/],
    ["Action and NotAction", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", NotAction: "kms:Decrypt", Resource: "*" }] }, /exactly one of Action or NotAction/],
    ["no resource", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*" }] }, /exactly one of Resource or NotResource/],
    ["unknown operator", { Version: "2012-10-17", Statement: [{ Sid: "X", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", Condition: { StringSortOf: { "aws:username": "a" } } }] }, /Sid "X".*unknown condition operator: "StringSortOf"/],
    ["bad CIDR", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/33" } } }] }, /not an IP address or CIDR/],
    ["unknown element", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", Actions: "x" }] }, /unknown element: "Actions"/],
    ["duplicate Sid", { Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }, { Sid: "A", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }] }, /Sid "A" is used by more than one statement/],
    ["NotPrincipal with Allow", { Version: "2012-10-17", Statement: [{ Effect: "Allow", NotPrincipal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }] }, /NotPrincipal may only be used with "Effect": "Deny"/],
  ];
  it.each(bad)("%s", (_label, doc, message) => {
    let error: Error | undefined;
    try {
      parsePolicy(typeof doc === "string" ? doc : JSON.stringify(doc));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("MalformedPolicyDocumentException");
    expect(error?.message).toMatch(message);
  });

  it("accepts a single Statement object and string-or-list elements", () => {
    const p = parsePolicy(JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Principal: { AWS: [ROOT, ALICE] }, Action: "kms:*", Resource: "*" } }));
    expect(p.statements).toHaveLength(1);
    expect(p.statements[0]!.principal).toEqual({ any: false, aws: [ROOT, ALICE] });
  });
});
