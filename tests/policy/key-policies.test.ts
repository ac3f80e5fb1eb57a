import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { operator } from "../helpers";
import { auditEvents } from "../support/audit-rows";
import { call, outcome, policy, rejection, rootKey, rootStatement, unique, userWith } from "./fixtures";

let root: Principal;
let nobody: Principal;
let keyUser: Principal;
let keyAdmin: Principal;
const PLAINTEXT = new TextEncoder().encode("secret");

beforeAll(async () => {
  root = await operator();
  nobody = await userWith(null);
  keyUser = await userWith("KEY_USER");
  keyAdmin = await userWith("KEY_ADMINISTRATOR");
});

describe("GetKeyPolicy / ListKeyPolicies", () => {
  it("returns the default policy (account root statement) under the name default", async () => {
    const key = await rootKey();
    const got = (await call("GetKeyPolicy", keyUser, { KeyId: key.id })) as { Policy: string; PolicyName: string };
    expect(got.PolicyName).toBe("default");
    expect(JSON.parse(got.Policy).Statement[0].Principal.AWS).toBe(`arn:aws:iam::${root.accountId}:root`);
    expect(await call("ListKeyPolicies", keyUser, { KeyId: key.id })).toEqual({ PolicyNames: ["default"], Truncated: false });
    expect((await rejection(call("GetKeyPolicy", keyUser, { KeyId: key.id, PolicyName: "other" }))).name).toBe("NotFoundException");
  });

  it("a missing key is NotFoundException before authorization (as AWS)", async () => {
    const e = await rejection(call("GetKeyPolicy", nobody, { KeyId: "00000000-0000-4000-8000-000000000000" }));
    expect(e.name).toBe("NotFoundException");
  });
});

describe("key policies are enforced", () => {
  it("a key policy granting a specific user Encrypt lets a user with no role encrypt, and nothing else", async () => {
    const key = await rootKey();
    const denied = await rejection(call("Encrypt", nobody, { KeyId: key.id, Plaintext: PLAINTEXT }));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toBe(
      `User: ${nobody.arn} is not authorized to perform: kms:Encrypt on resource: ${key.arn} because no identity-based policy allows the kms:Encrypt action`,
    );
    await call("PutKeyPolicy", root, {
      KeyId: key.id,
      Policy: policy(rootStatement(root.accountId), { Sid: "Enc", Effect: "Allow", Principal: { AWS: nobody.arn }, Action: "kms:Encrypt", Resource: "*" }),
    });
    const out = (await call("Encrypt", nobody, { KeyId: key.id, Plaintext: PLAINTEXT })) as { CiphertextBlob: Uint8Array };
    expect(out.CiphertextBlob.length).toBeGreaterThan(0);
    const dec = await rejection(call("Decrypt", nobody, { CiphertextBlob: out.CiphertextBlob }));
    expect(dec.name).toBe("AccessDeniedException");
  });

  it("a key policy without the root statement locks out users whose role would allow (no resource-based policy allows)", async () => {
    const key = await rootKey();
    await call("PutKeyPolicy", root, {
      KeyId: key.id,
      Policy: policy({ Effect: "Allow", Principal: { AWS: keyAdmin.arn }, Action: "kms:*", Resource: "*" }),
      BypassPolicyLockoutSafetyCheck: true,
    });
    const e = await rejection(call("Encrypt", keyUser, { KeyId: key.id, Plaintext: PLAINTEXT }));
    expect(e.message).toBe(
      `User: ${keyUser.arn} is not authorized to perform: kms:Encrypt on resource: ${key.arn} because no resource-based policy allows the kms:Encrypt action`,
    );
  });

  it("a Deny statement for a KEY_USER blocks what the role allows", async () => {
    const key = await rootKey();
    await call("Encrypt", keyUser, { KeyId: key.id, Plaintext: PLAINTEXT });
    await call("PutKeyPolicy", root, {
      KeyId: key.id,
      Policy: policy(rootStatement(root.accountId), { Sid: "NoUser", Effect: "Deny", Principal: { AWS: keyUser.arn }, Action: "kms:Encrypt", Resource: "*" }),
    });
    const e = await rejection(call("Encrypt", keyUser, { KeyId: key.id, Plaintext: PLAINTEXT }));
    expect(e.name).toBe("AccessDeniedException");
    expect(e.message).toContain("with an explicit deny in a resource-based policy");
    // Other actions are unaffected.
    expect((await outcome(call("DescribeKey", keyUser, { KeyId: key.id }))).ok).toBe(true);
  });

  it("encryption-context conditions", async () => {
    const key = await rootKey();
    await call("PutKeyPolicy", root, {
      KeyId: key.id,
      Policy: policy(rootStatement(root.accountId), {
        Sid: "DeptOnly",
        Effect: "Allow",
        Principal: { AWS: nobody.arn },
        Action: ["kms:Encrypt", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:dept": "finance" }, "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["dept", "purpose"] } },
      }),
    });
    const enc = (ec?: Record<string, string>) => outcome(call("Encrypt", nobody, { KeyId: key.id, Plaintext: PLAINTEXT, ...(ec ? { EncryptionContext: ec } : {}) }));
    expect((await enc({ dept: "finance" })).ok).toBe(true);
    expect((await enc({ dept: "finance", purpose: "x" })).ok).toBe(true);
    expect((await enc({ dept: "eng" })).name).toBe("AccessDeniedException");
    expect((await enc({ dept: "finance", other: "x" })).name).toBe("AccessDeniedException");
    expect((await enc()).name).toBe("AccessDeniedException");
    const ok = (await enc({ dept: "finance" })).value as { CiphertextBlob: Uint8Array };
    expect((await outcome(call("Decrypt", nobody, { CiphertextBlob: ok.CiphertextBlob, EncryptionContext: { dept: "finance" } }))).ok).toBe(true);
  });

  it("source IP conditions use the caller's address", async () => {
    const key = await rootKey();
    await call("PutKeyPolicy", root, {
      KeyId: key.id,
      Policy: policy(rootStatement(root.accountId), {
        Effect: "Deny",
        Principal: "*",
        Action: "kms:Encrypt",
        Resource: "*",
        Condition: { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] } },
      }),
    });
    const from = (ip: string) => outcome(call("Encrypt", { ...keyUser, sourceIp: ip }, { KeyId: key.id, Plaintext: PLAINTEXT }));
    expect((await from("10.2.3.4")).ok).toBe(true);
    expect((await from("2001:db8::1")).ok).toBe(true);
    expect((await from("192.0.2.1")).name).toBe("AccessDeniedException");
  });

  it("tag-based access control with aws:ResourceTag and kms:ResourceAliases", async () => {
    const key = await rootKey({ Tags: [{ TagKey: "team", TagValue: "blue" }] });
    const grantByTag = policy(rootStatement(root.accountId), {
      Effect: "Allow",
      Principal: { AWS: nobody.arn },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/team": "blue" }, "ForAnyValue:StringLike": { "kms:ResourceAliases": "alias/blue-*" } },
    });
    await call("PutKeyPolicy", root, { KeyId: key.id, Policy: grantByTag });
    expect((await outcome(call("DescribeKey", nobody, { KeyId: key.id }))).name).toBe("AccessDeniedException");
    await call("CreateAlias", root, { AliasName: `alias/blue-${key.id}`, TargetKeyId: key.id });
    expect((await outcome(call("DescribeKey", nobody, { KeyId: key.id }))).ok).toBe(true);
  });

  it("DryRun checks authorization first, then answers DryRunOperationException", async () => {
    const key = await rootKey();
    expect((await rejection(call("Encrypt", nobody, { KeyId: key.id, Plaintext: PLAINTEXT, DryRun: true }))).name).toBe("AccessDeniedException");
    expect((await rejection(call("Encrypt", keyUser, { KeyId: key.id, Plaintext: PLAINTEXT, DryRun: true }))).name).toBe("DryRunOperationException");
  });
});

describe("PutKeyPolicy validation", () => {
  it("MalformedPolicyDocumentException names the problem", async () => {
    const key = await rootKey();
    const e = await rejection(call("PutKeyPolicy", root, { KeyId: key.id, Policy: policy({ Effect: "Allow", Action: "kms:*", Resource: "*" }) }));
    expect(e).toEqual({ name: "MalformedPolicyDocumentException", message: "Statement 1 has no Principal: a key policy statement must name a Principal." });
    const json = await rejection(call("PutKeyPolicy", root, { KeyId: key.id, Policy: "{nope" }));
    expect(json.name).toBe("MalformedPolicyDocumentException");
    expect(json.message).toMatch(/^The policy is not valid JSON/);
    const created = await rejection(call("CreateKey", root, { Policy: policy({ Effect: "Allow", Principal: { AWS: root.arn }, Action: "Encrypt", Resource: "*" }) }));
    expect(created.message).toContain('invalid action: "Encrypt"');
  });

  it("the lockout safety check refuses a policy that would stop the caller from updating it, unless bypassed", async () => {
    const key = await rootKey();
    const lockout = policy({ Effect: "Allow", Principal: { AWS: keyUser.arn }, Action: "kms:Encrypt", Resource: "*" });
    const e = await rejection(call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: lockout }));
    expect(e).toEqual({ name: "MalformedPolicyDocumentException", message: "The new key policy will not allow you to update the key policy in the future." });
    const c = await rejection(call("CreateKey", keyAdmin, { Policy: lockout }));
    expect(c.name).toBe("MalformedPolicyDocumentException");
    // A policy that keeps the caller in control passes.
    await call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: policy({ Effect: "Allow", Principal: { AWS: keyAdmin.arn }, Action: "kms:*", Resource: "*" }) });
    await call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: lockout, BypassPolicyLockoutSafetyCheck: true });
    expect((await rejection(call("GetKeyPolicy", keyAdmin, { KeyId: key.id }))).name).toBe("AccessDeniedException");
    const created = (await call("CreateKey", keyAdmin, { Policy: lockout, BypassPolicyLockoutSafetyCheck: true })) as { KeyMetadata: { KeyId: string } };
    // Locked out for everyone, the account root included (as AWS).
    expect((await rejection(call("GetKeyPolicy", root, { KeyId: created.KeyMetadata.KeyId }))).name).toBe("AccessDeniedException");
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: created.KeyMetadata.KeyId } })).policy).toBe(lockout);
  });
});

describe("the lockout safety check judges the policy on the key's own condition values", () => {
  const MALFORMED = { name: "MalformedPolicyDocumentException", message: "The new key policy will not allow you to update the key policy in the future." };

  /** A policy whose only administrator is `admin`, and only under `condition`. */
  const adminOnlyIf = (admin: Principal, condition: object) =>
    policy({ Sid: "Admin", Effect: "Allow", Principal: { AWS: admin.arn }, Action: ["kms:PutKeyPolicy", "kms:GetKeyPolicy"], Resource: "*", Condition: condition });

  it("PutKeyPolicy: an admin statement conditioned on kms:KeySpec / kms:KeyUsage is accepted when the key matches, refused when not", async () => {
    const key = await rootKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    const original = (await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).policy;
    for (const condition of [{ StringEquals: { "kms:KeySpec": "RSA_2048" } }, { StringEquals: { "kms:KeyUsage": "ENCRYPT_DECRYPT" } }]) {
      expect(await rejection(call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: adminOnlyIf(keyAdmin, condition) })), JSON.stringify(condition)).toEqual(MALFORMED);
      expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).policy).toBe(original);
    }
    const matching = adminOnlyIf(keyAdmin, { StringEquals: { "kms:KeySpec": "ECC_NIST_P256", "kms:KeyUsage": "SIGN_VERIFY" } });
    await call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: matching });
    // …and the check was right: the administrator can still read and replace it.
    expect(((await call("GetKeyPolicy", keyAdmin, { KeyId: key.id })) as { Policy: string }).Policy).toBe(matching);
    await call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: matching });
  });

  it("PutKeyPolicy: a non-matching condition is stored anyway with BypassPolicyLockoutSafetyCheck", async () => {
    const key = await rootKey();
    const wrongSpec = adminOnlyIf(keyAdmin, { StringEquals: { "kms:KeySpec": "RSA_2048" } });
    await call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: wrongSpec, BypassPolicyLockoutSafetyCheck: true });
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } })).policy).toBe(wrongSpec);
    // Exactly the lockout the check warns about.
    expect((await rejection(call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: policy(rootStatement(root.accountId)) }))).name).toBe(
      "AccessDeniedException",
    );
  });

  it("PutKeyPolicy: aws:ResourceTag and kms:ResourceAliases conditions see the key's tags and aliases", async () => {
    const key = await rootKey({ Tags: [{ TagKey: "team", TagValue: "blue" }] });
    await call("CreateAlias", root, { AliasName: `alias/${unique("lockout")}`, TargetKeyId: key.id });
    const aliasName = ((await call("ListAliases", root, { KeyId: key.id })) as { Aliases: Array<{ AliasName: string }> }).Aliases[0]!.AliasName;
    expect(
      await rejection(call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: adminOnlyIf(keyAdmin, { StringEquals: { "aws:ResourceTag/team": "red" } }) })),
    ).toEqual(MALFORMED);
    expect(
      await rejection(
        call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: adminOnlyIf(keyAdmin, { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/other" } }) }),
      ),
    ).toEqual(MALFORMED);
    await call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: adminOnlyIf(keyAdmin, { StringEquals: { "aws:ResourceTag/team": "blue" } }) });
    await call("PutKeyPolicy", keyAdmin, { KeyId: key.id, Policy: adminOnlyIf(keyAdmin, { "ForAnyValue:StringEquals": { "kms:ResourceAliases": aliasName } }) });
  });

  it("CreateKey: judged on the key being created (its spec, usage and request tags)", async () => {
    const spec = { StringEquals: { "kms:KeySpec": "HMAC_256", "kms:KeyUsage": "GENERATE_VERIFY_MAC" } };
    const hmac = { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" };
    expect(await rejection(call("CreateKey", keyAdmin, { Policy: adminOnlyIf(keyAdmin, spec) }))).toEqual(MALFORMED);
    const created = (await call("CreateKey", keyAdmin, { ...hmac, Policy: adminOnlyIf(keyAdmin, spec) })) as { KeyMetadata: { KeyId: string } };
    await call("PutKeyPolicy", keyAdmin, { KeyId: created.KeyMetadata.KeyId, Policy: adminOnlyIf(keyAdmin, spec) });

    const byTag = adminOnlyIf(keyAdmin, { StringEquals: { "aws:ResourceTag/team": "blue" } });
    expect(await rejection(call("CreateKey", keyAdmin, { Policy: byTag, Tags: [{ TagKey: "team", TagValue: "red" }] }))).toEqual(MALFORMED);
    const tagged = (await call("CreateKey", keyAdmin, { Policy: byTag, Tags: [{ TagKey: "team", TagValue: "blue" }] })) as { KeyMetadata: { KeyId: string } };
    await call("PutKeyPolicy", keyAdmin, { KeyId: tagged.KeyMetadata.KeyId, Policy: byTag });
    // Bypassing creates the key as asked.
    const bypassed = (await call("CreateKey", keyAdmin, { Policy: adminOnlyIf(keyAdmin, spec), BypassPolicyLockoutSafetyCheck: true })) as {
      KeyMetadata: { KeyId: string };
    };
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: bypassed.KeyMetadata.KeyId } })).keySpec).toBe("SYMMETRIC_DEFAULT");
  });
});

describe("policy simulator", () => {
  it("explains allow and deny per principal and action, for administrators and auditors only", async () => {
    const { simulatePolicy } = await import("@/lib/kms/simulate");
    const auditor = await userWith("AUDITOR");
    const key = await rootKey();
    await call("PutKeyPolicy", root, {
      KeyId: key.id,
      Policy: policy(rootStatement(root.accountId), {
        Sid: "DeptOnly",
        Effect: "Allow",
        Principal: { AWS: nobody.arn },
        Action: "kms:Encrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:dept": "finance" } },
      }),
    });
    const results = await simulatePolicy(auditor, {
      principals: [nobody.username, keyUser.arn],
      actions: ["Encrypt", "kms:ScheduleKeyDeletion", "CreateKey"],
      keyId: key.id,
      encryptionContext: { dept: "finance" },
    });
    const find = (p: string, a: string) => results.find((r) => r.principal === p && r.action === a)!;
    expect(find(nobody.arn, "kms:Encrypt")).toMatchObject({ allowed: true, reason: "key-policy-allow", statement: { source: "key-policy", sid: "DeptOnly" } });
    expect(find(keyUser.arn, "kms:Encrypt")).toMatchObject({ allowed: true, reason: "identity-policy-allow", statement: { policyName: "KeyholdKeyUser" } });
    expect(find(keyUser.arn, "kms:ScheduleKeyDeletion")).toMatchObject({ allowed: false, reason: "no-identity-policy-allow" });
    expect(find(keyUser.arn, "kms:CreateKey")).toMatchObject({ allowed: false, resource: "*" });
    expect(find(keyUser.arn, "kms:ScheduleKeyDeletion").message).toContain("because no identity-based policy allows");
    expect((await rejection(simulatePolicy(keyUser, { principals: [keyUser.username], actions: ["Encrypt"] }))).name).toBe("AccessDeniedException");
    // Both are on record: the simulation (what was asked, how many decisions) and the refusal.
    const [allowed] = await auditEvents({ where: { eventName: "SimulatePolicy", principalArn: auditor.arn }, orderBy: { id: "desc" }, take: 1 });
    expect(JSON.parse(allowed!.record)).toMatchObject({ requestParameters: { keyId: key.id }, responseElements: { decisions: 6 } });
    const [denied] = await auditEvents({ where: { eventName: "SimulatePolicy", principalArn: keyUser.arn }, orderBy: { id: "desc" }, take: 1 });
    expect(denied?.errorCode).toBe("AccessDeniedException");
  });
});

describe("aws:SecureTransport", () => {
  it("is what the connection was: a policy that requires TLS refuses calls that came over plain HTTP", async () => {
    const { KeyMetadata } = (await call("CreateKey", root, {
      Policy: policy(rootStatement(root.accountId), {
        Sid: "RequireTls",
        Effect: "Deny",
        Principal: "*",
        Action: "kms:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    })) as { KeyMetadata: { KeyId: string } };
    const overHttp = { ...keyUser, secureTransport: false };
    const overTls = { ...keyUser, secureTransport: true };
    const denied = await rejection(call("Encrypt", overHttp, { KeyId: KeyMetadata.KeyId, Plaintext: PLAINTEXT }));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain("with an explicit deny in a resource-based policy");
    expect((await outcome(call("Encrypt", overTls, { KeyId: KeyMetadata.KeyId, Plaintext: PLAINTEXT }))).ok).toBe(true);
  });
});

describe("aws:PrincipalTag", () => {
  it("lets a key policy grant by the caller's tags, and follows tag changes", async () => {
    const { setUserTags } = await import("@/lib/accounts/users");
    const { KeyMetadata } = (await call("CreateKey", root, {
      Policy: policy(rootStatement(root.accountId), {
        Sid: "PaymentsTeam",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Encrypt", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalTag/team": "payments", "kms:CallerAccount": root.accountId } },
      }),
    })) as { KeyMetadata: { KeyId: string } };
    const admin = await userWith("ADMINISTRATOR");
    const member = await userWith(null);
    const encrypt = async () => outcome(call("Encrypt", await reload(member.userId!), { KeyId: KeyMetadata.KeyId, Plaintext: PLAINTEXT }));
    expect((await encrypt()).name).toBe("AccessDeniedException");
    await setUserTags(admin, { userId: member.userId!, tags: { Team: "payments" } }); // tag keys match case-insensitively, as IAM's
    expect((await encrypt()).ok).toBe(true);
    await setUserTags(admin, { userId: member.userId!, tags: { team: "billing" } });
    expect((await encrypt()).name).toBe("AccessDeniedException");
  });
});

/** The principal as the next request would see it (tags are read from the user row). */
async function reload(userId: string): Promise<Principal> {
  const { userPrincipal } = await import("@/lib/auth/principal");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, include: { customRole: true } });
  return userPrincipal(root.accountId, user);
}
