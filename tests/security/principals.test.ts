// Key policies and grants may only name principals that exist (as AWS checks):
// a user ARN of this account that names no user is refused.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { accountId } from "@/lib/settings/account";
import { makeUser, operator, uniqueName } from "../helpers";
import { call, outcome, policy, rootStatement } from "../policy/fixtures";

let admin: Principal;
let account: string;
let user: Principal;
let keyId: string;

const allow = (aws: string | string[]) => ({ Effect: "Allow", Principal: { AWS: aws }, Action: "kms:Encrypt", Resource: "*" });

beforeAll(async () => {
  admin = await operator();
  account = await accountId();
  user = (await makeUser("KEY_USER")).principal;
  keyId = ((await call("CreateKey", admin, {})) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
});

describe("principals in key policies", () => {
  it("PutKeyPolicy and CreateKey refuse a user of this account that does not exist", async () => {
    const ghost = `arn:aws:iam::${account}:user/${uniqueName("ghost")}`;
    for (const p of [ghost, `arn:aws:iam::${account}:role/${uniqueName("ghost")}`]) {
      const put = await outcome(call("PutKeyPolicy", admin, { KeyId: keyId, Policy: policy(rootStatement(account), allow([user.arn, p])) }));
      expect([put.name, put.message]).toEqual(["MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals."]);
      const create = await outcome(call("CreateKey", admin, { Policy: policy(rootStatement(account), allow(p)) }));
      expect(create.name).toBe("MalformedPolicyDocumentException");
    }
  });

  it("accept existing users, the account root, *, account IDs, service principals and other accounts", async () => {
    const ok = policy(
      rootStatement(account),
      allow([user.arn, account, "arn:aws:iam::111122223333:user/someone", "arn:aws:iam::111122223333:root"]),
      { Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Encrypt", Resource: "*" },
      { Effect: "Allow", Principal: "*", Action: "kms:DescribeKey", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": account } } },
    );
    expect((await outcome(call("PutKeyPolicy", admin, { KeyId: keyId, Policy: ok }))).ok).toBe(true);
    expect((await outcome(call("CreateKey", admin, { Policy: ok }))).ok).toBe(true);
  });
});

describe("principals in grants", () => {
  it("CreateGrant refuses a grantee or retiring principal that does not exist or is malformed: InvalidArnException", async () => {
    const ghost = `arn:aws:iam::${account}:user/${uniqueName("ghost")}`;
    const cases = [
      { GranteePrincipal: ghost },
      { GranteePrincipal: user.arn, RetiringPrincipal: ghost },
      { GranteePrincipal: "not-an-arn" },
    ];
    for (const c of cases) {
      const r = await outcome(call("CreateGrant", admin, { KeyId: keyId, Operations: ["Encrypt"], ...c }));
      expect(r.name).toBe("InvalidArnException");
    }
    const ok = await outcome(call("CreateGrant", admin, { KeyId: keyId, Operations: ["Encrypt"], GranteePrincipal: user.arn, RetiringPrincipal: account }));
    expect(ok.ok).toBe(true);
  });
});
