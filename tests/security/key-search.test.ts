// The console's key search matches only what the caller may read: a key user
// whose key policy denies DescribeKey (and ListResourceTags) cannot find the
// key by its description or tags, so cannot recover them character by character.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { listConsoleKeys } from "@/lib/console/keys/queries";
import { accountId } from "@/lib/settings/account";
import { makeUser, operator } from "../helpers";
import { call, policy, rootStatement, unique } from "../policy/fixtures";

const run = unique("search");
const secret = `secret-${run}`;
let admin: Principal;
let keyUser: Principal;
let hidden: string;
let visible: string;

const found = async (caller: Principal, params: { q?: string; tag?: string }) => (await listConsoleKeys(caller, { pageSize: 100, ...params })).keys.map((k) => k.id);

beforeAll(async () => {
  admin = await operator();
  keyUser = (await makeUser("KEY_USER")).principal;
  const account = await accountId();
  const deny = { Sid: "HideFromKeyUser", Effect: "Deny", Principal: { AWS: keyUser.arn }, Action: ["kms:DescribeKey", "kms:ListResourceTags"], Resource: "*" };
  const create = async (description: string, statements: object[]) =>
    ((await call("CreateKey", admin, { Description: description, Policy: policy(...statements), Tags: [{ TagKey: "hidden", TagValue: `tv-${run}` }] })) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  hidden = await create(secret, [rootStatement(account), deny]);
  visible = await create(`${secret}-open`, [rootStatement(account)]);
  await call("CreateAlias", admin, { AliasName: `alias/${run}`, TargetKeyId: hidden });
});

describe("key search as a caller who may not read a key", () => {
  it("does not match its description (it does for an administrator)", async () => {
    expect(await found(keyUser, { q: secret })).toEqual([visible]);
    expect(await found(keyUser, { q: "secret-" + run.slice(0, 9) })).not.toContain(hidden);
    expect(new Set(await found(admin, { q: secret }))).toEqual(new Set([hidden, visible]));
    const page = await listConsoleKeys(keyUser, { q: secret });
    expect(page.total).toBe(1);
  });

  it("does not match its tags, by search or by tag filter", async () => {
    expect(await found(keyUser, { q: `tv-${run}` })).toEqual([visible]);
    expect(new Set(await found(admin, { q: `tv-${run}` }))).toEqual(new Set([hidden, visible]));
    expect(await found(keyUser, { tag: `hidden=tv-${run}` })).toEqual([visible]);
    expect(new Set(await found(admin, { tag: `hidden=tv-${run}` }))).toEqual(new Set([hidden, visible]));
  });

  it("still finds it by what every row shows (alias, key ID), with its description withheld", async () => {
    const rows = (await listConsoleKeys(keyUser, { q: `alias/${run}` })).keys;
    expect(rows.map((r) => [r.id, r.description, r.restricted])).toEqual([[hidden, "", true]]);
    expect(await found(keyUser, { q: hidden })).toEqual([hidden]);
  });

  it("refuses a search carrying a NUL with ValidationException", async () => {
    await expect(listConsoleKeys(keyUser, { q: "a\u0000b" })).rejects.toMatchObject({ name: "ValidationException" });
  });
});
