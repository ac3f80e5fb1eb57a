// A policy denial keeps the decision that made it (which statement, which
// action, which key), so the console can name the statement; the message stays
// AWS's and the denial is audited like any call.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { denialFacts } from "@/lib/kms/denial";
import { accountId } from "@/lib/settings/account";
import { explainDenial } from "@/components/policy/decision-text";
import { call, policy, rootKey, rootStatement, userWith } from "../policy/fixtures";

let keyUser: Principal;
let noRole: Principal;
let account: string;

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to be refused");
}

beforeAll(async () => {
  account = await accountId();
  keyUser = await userWith("KEY_USER");
  noRole = await userWith(null);
});

describe("policy denials carry their deciding statement", () => {
  it("an explicit Deny in the key policy names its Sid and index, and the event is recorded", async () => {
    const deny = { Sid: "NoDataKeyPairs", Effect: "Deny", Principal: { AWS: keyUser.arn }, Action: "kms:GenerateDataKeyPair", Resource: "*" };
    const key = await rootKey({ Policy: policy(rootStatement(account), deny) });
    const e = await refusal(call("GenerateDataKeyPair", keyUser, { KeyId: key.id, KeyPairSpec: "ECC_NIST_P256" }));
    expect((e as Error).name).toBe("AccessDeniedException");
    expect((e as Error).message).toBe(
      `User: ${keyUser.arn} is not authorized to perform: kms:GenerateDataKeyPair on resource: ${key.arn} with an explicit deny in a resource-based policy`,
    );
    const facts = denialFacts(e);
    expect(facts).toEqual({
      action: "kms:GenerateDataKeyPair",
      resource: key.arn,
      reason: "key-policy-deny",
      statement: { source: "key-policy", sid: "NoDataKeyPairs", index: 1 },
    });
    expect(explainDenial(facts!)).toContain('Key policy, statement 2 (Sid "NoDataKeyPairs")');
    const events = await prisma.auditEvent.findMany({ where: { eventName: "GenerateDataKeyPair", principalArn: keyUser.arn, keyId: key.id } });
    expect(events.map((x) => x.errorCode)).toEqual(["AccessDeniedException"]);
  });

  it("an implicit deny names the delegating statement that left it to the caller's role", async () => {
    const key = await rootKey({ Policy: policy(rootStatement(account)) });
    const facts = denialFacts(await refusal(call("Encrypt", noRole, { KeyId: key.id, Plaintext: new Uint8Array([1]) })));
    expect(facts).toMatchObject({ action: "kms:Encrypt", reason: "no-identity-policy-allow", statement: { source: "key-policy", sid: "Enable IAM User Permissions", index: 0 } });
  });

  it("ReEncrypt names the side that refused (ReEncryptTo on the destination)", async () => {
    const source = await rootKey({ Policy: policy(rootStatement(account)) });
    const closedTo = { Sid: "NotADestination", Effect: "Deny", Principal: { AWS: "*" }, Action: "kms:ReEncryptTo", Resource: "*" };
    const destination = await rootKey({ Policy: policy(rootStatement(account), closedTo) });
    const { CiphertextBlob } = (await call("Encrypt", keyUser, { KeyId: source.id, Plaintext: new Uint8Array([1, 2, 3]) })) as { CiphertextBlob: Uint8Array };
    const facts = denialFacts(await refusal(call("ReEncrypt", keyUser, { CiphertextBlob, DestinationKeyId: destination.id })));
    expect(facts).toMatchObject({ action: "kms:ReEncryptTo", resource: destination.arn, reason: "key-policy-deny", statement: { sid: "NotADestination" } });
  });

  it("other refusals carry no decision", async () => {
    const key = await rootKey({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    const e = await refusal(call("Encrypt", keyUser, { KeyId: key.id, Plaintext: new Uint8Array([1]) }));
    expect((e as Error).name).toBe("InvalidKeyUsageException");
    expect(denialFacts(e)).toBeUndefined();
  });
});
