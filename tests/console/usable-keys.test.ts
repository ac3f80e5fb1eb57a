// The keys list's "Keys I can use" filter: the decision the key's own
// cryptographic calls get (key policy delegating to roles, or not).
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { keyListSearch as keyListQuery, parseKeyListParams } from "@/lib/console/keys/list-params";
import { listConsoleKeys } from "@/lib/console/keys/queries";
import { accountId } from "@/lib/settings/account";
import { makeUser, operator } from "../helpers";
import { call, policy, rootStatement, unique } from "../policy/fixtures";

const run = unique("usable");
const TAG = `run=${run}`;
let root: Principal;
const k = {} as Record<"delegated" | "closed" | "signing", string>;

async function createKey(input: Record<string, unknown> = {}): Promise<string> {
  const out = (await call("CreateKey", root, { Tags: [{ TagKey: "run", TagValue: run }], ...input })) as { KeyMetadata: { KeyId: string } };
  return out.KeyMetadata.KeyId;
}

beforeAll(async () => {
  root = await operator();
  const account = await accountId();
  k.delegated = await createKey();
  // The account root may manage this key but not use it: no role can be given its use.
  const manageOnly = { Sid: "Manage only", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ["kms:PutKeyPolicy", "kms:DescribeKey", "kms:ListResourceTags", "kms:GetKeyPolicy"], Resource: "*" };
  k.closed = await createKey({ Policy: policy(manageOnly) });
  k.signing = await createKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", Policy: policy(rootStatement(account)) });
});

const usable = async (caller: Principal) => (await listConsoleKeys(caller, { tag: TAG, usable: "1", pageSize: 100 })).keys.map((r) => r.id).sort();

describe("keys I can use", () => {
  it("lists for a key user the keys whose policy lets their role use them, of any usage", async () => {
    const { principal } = await makeUser("KEY_USER");
    expect(await usable(principal)).toEqual([k.delegated, k.signing].sort());
    // Without the filter the key user still lists all three.
    expect((await listConsoleKeys(principal, { tag: TAG, pageSize: 100 })).total).toBe(3);
  });

  it("lists nothing for roles that use no key, and counts and pages what it lists", async () => {
    expect(await usable((await makeUser("AUDITOR")).principal)).toEqual([]);
    expect(await usable((await makeUser("KEY_ADMINISTRATOR")).principal)).toEqual([]);
    const { principal } = await makeUser("KEY_USER");
    const page = await listConsoleKeys(principal, { tag: TAG, usable: "1", pageSize: 1, page: 2 });
    expect(page.total).toBe(2);
    expect(page.keys).toHaveLength(1);
  });

  it("travels in the URL as usable=1 and ignores other values", () => {
    expect(keyListQuery({ usable: "1" })).toBe("usable=1");
    expect(parseKeyListParams(new URLSearchParams("usable=yes")).usable).toBeUndefined();
  });
});
