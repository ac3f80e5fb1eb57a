import { describe, expect, it } from "vitest";
import { kmsModel } from "@/lib/api/model";
import { parsePolicy } from "@/lib/policy";
import { KMS_ACTION_NAMES, unknownKmsActions } from "@/lib/policy/kms-action-names";

const policy = (actions: string[], notActions?: string[]) =>
  parsePolicy(
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: actions, Resource: "*" },
        ...(notActions ? [{ Effect: "Deny", Principal: "*", NotAction: notActions, Resource: "*" }] : []),
      ],
    }),
    { kind: "resource" },
  );

describe("the KMS actions a policy can name", () => {
  it("are the wire model's operations, ReEncrypt split into From and To", () => {
    const fromModel = Object.keys(kmsModel.operations)
      .flatMap((op) => (op === "ReEncrypt" ? ["ReEncryptFrom", "ReEncryptTo"] : [op]))
      .map((op) => `kms:${op}`);
    expect([...KMS_ACTION_NAMES].sort()).toEqual(fromModel.sort());
  });

  it("flags an action that matches nothing, with the nearest real one, in Action and NotAction", () => {
    expect(unknownKmsActions(policy(["kms:Encryp", "kms:Decrypt"], ["kms:Sing"]))).toEqual([
      { action: "kms:Encryp", suggestion: "kms:Encrypt" },
      { action: "kms:Sing", suggestion: "kms:Sign" },
    ]);
    expect(unknownKmsActions(policy(["kms:TotallyMadeUpAction"]))).toEqual([{ action: "kms:TotallyMadeUpAction" }]);
  });

  it("accepts every known action and wildcards that match at least one (case-insensitive, as IAM)", () => {
    expect(unknownKmsActions(policy([...KMS_ACTION_NAMES]))).toEqual([]);
    expect(unknownKmsActions(policy(["*", "kms:*", "kms:ReEncrypt*", "kms:Generate?ac", "kms:describekey"]))).toEqual([]);
    expect(unknownKmsActions(policy(["kms:Nothing*"]))).toEqual([{ action: "kms:Nothing*" }]);
  });
});
