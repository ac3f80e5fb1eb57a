// The key page's per-control access: the key policy's decision for the caller,
// with the deciding statement when refused (evaluated, not performed).
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { keyControlAccess } from "@/lib/console/keys/capabilities";
import { accountId } from "@/lib/settings/account";
import { policy, rootKey, rootStatement, userWith } from "../policy/fixtures";

const ACTIONS = ["kms:EnableKeyRotation", "kms:RotateKeyOnDemand"];
let admin: Principal;
let keyUser: Principal;
let account: string;

beforeAll(async () => {
  account = await accountId();
  admin = await userWith("ADMINISTRATOR");
  keyUser = await userWith("KEY_USER");
});

describe("key control access", () => {
  it("allows what the policy allows, and names the statement that refused", async () => {
    const noOnDemand = { Sid: "NoOnDemandRotation", Effect: "Deny", Principal: { AWS: "*" }, Action: "kms:RotateKeyOnDemand", Resource: "*" };
    const key = await rootKey({ Policy: policy(rootStatement(account), noOnDemand) });
    const forAdmin = await keyControlAccess(admin, key.id, ACTIONS);
    expect(forAdmin["kms:EnableKeyRotation"]).toEqual({ allowed: true });
    expect(forAdmin["kms:RotateKeyOnDemand"]).toEqual({
      allowed: false,
      deniedBy: { action: "kms:RotateKeyOnDemand", resource: key.arn, reason: "key-policy-deny", statement: { source: "key-policy", sid: "NoOnDemandRotation", index: 1 } },
    });
    const forKeyUser = await keyControlAccess(keyUser, key.id, ACTIONS);
    expect(forKeyUser["kms:EnableKeyRotation"]).toMatchObject({ allowed: false, deniedBy: { reason: "no-identity-policy-allow" } });
  });

  it("refuses everything, without facts, for a key that does not exist", async () => {
    expect(await keyControlAccess(admin, "00000000-0000-4000-8000-000000000000", ACTIONS)).toEqual({
      "kms:EnableKeyRotation": { allowed: false },
      "kms:RotateKeyOnDemand": { allowed: false },
    });
  });
});
