// "Review changes" on the key policy tab: every check PutKeyPolicy makes,
// run before saving, plus actions that name nothing; audited, never a write.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { reviewKeyPolicy } from "@/lib/console/keys/policy-review";
import { prisma } from "@/lib/db/client";
import { accountId } from "@/lib/settings/account";
import { call, policy, rejection, rootStatement } from "../policy/fixtures";
import { makeUser } from "../helpers";
import { auditEvents } from "../support/audit-rows";

let admin: Principal;
let adminName: string;
let keyId: string;
let account: string;

beforeAll(async () => {
  const made = await makeUser("ADMINISTRATOR");
  admin = made.principal;
  adminName = made.user.username;
  account = await accountId();
  const out = (await call("CreateKey", admin, { Description: "policy review" })) as { KeyMetadata: { KeyId: string } };
  keyId = out.KeyMetadata.KeyId;
});

const savedPolicy = async () => (await prisma.kmsKey.findUniqueOrThrow({ where: { id: keyId } })).policy;

describe("reviewing a key policy before saving it", () => {
  it("passes a good policy with nothing to report and changes nothing", async () => {
    const before = await savedPolicy();
    expect(await reviewKeyPolicy(admin, keyId, policy(rootStatement(account)))).toEqual({ lockout: null, unknownActions: [] });
    expect(await savedPolicy()).toBe(before);
    const events = await auditEvents({ where: { eventName: "ValidatePolicy" } }, adminName);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.keyId === keyId)).toBe(true);
  });

  it("reports the lockout check's refusal at review, not only at Save", async () => {
    const other = { Sid: "OnlySomeoneElse", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" };
    const review = await reviewKeyPolicy(admin, keyId, policy(other));
    expect(review.lockout).toBe("The new key policy will not allow you to update the key policy in the future.");
  });

  it("flags unknown actions with the nearest KMS action", async () => {
    const typo = { Sid: "Typo", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ["kms:Encryp"], Resource: "*" };
    const review = await reviewKeyPolicy(admin, keyId, policy(rootStatement(account), typo));
    expect(review).toEqual({ lockout: null, unknownActions: [{ action: "kms:Encryp", suggestion: "kms:Encrypt" }] });
  });

  it("answers grammar errors as MalformedPolicyDocumentException with the exact problem", async () => {
    const bad = await rejection(reviewKeyPolicy(admin, keyId, policy({ ...rootStatement(account), Effect: "Maybe" })));
    expect(bad.name).toBe("MalformedPolicyDocumentException");
    expect(bad.message).toContain('Effect must be "Allow" or "Deny"');
  });

  it("is denied, and audited, for a caller who could not save the policy", async () => {
    const { principal, user } = await makeUser("KEY_USER");
    expect((await rejection(reviewKeyPolicy(principal, keyId, policy(rootStatement(account))))).name).toBe("AccessDeniedException");
    const [event] = await auditEvents({ where: { eventName: "ValidatePolicy" } }, user.username);
    expect(JSON.parse(event!.record).errorCode).toBe("AccessDeniedException");
  });
});
