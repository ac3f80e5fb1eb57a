// The console's keys list (search, filters, every sort column, pages) and the
// key pages' access checks, against the real database. Other test files share
// the database, so every list query here is scoped to this run's tag.
import { beforeAll, describe, expect, it } from "vitest";
import { createCustomRole, setUserCustomRole } from "@/lib/accounts/custom-roles";
import type { Principal } from "@/lib/auth/principal";
import { principalFromClaims } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { keyPageAccess, keyPageWithData, keysPageAccess, keysPageWithFirstRows } from "@/lib/console/keys/access";
import { mayCreateKeys, mayManageKey, mayManageKeys, mayUseKeys } from "@/lib/console/keys/capabilities";
import { keyListSearch, parseKeyListParams } from "@/lib/console/keys/list-params";
import { getConsoleKey, listConsoleKeys } from "@/lib/console/keys/queries";
import { navigationFor } from "@/lib/console/navigation";
import type { KeyListParams, KeyListSort } from "@/lib/console/keys/types";
import { makeUser, operator } from "../helpers";
import { call, outcome, policy, rootStatement, unique } from "../policy/fixtures";

const run = unique("list");
const TAG = `run=${run}`;

let admin: Principal;
/** The keys of this run, by role in the tests. */
const k = {} as Record<"a" | "b" | "c" | "d" | "e" | "f", string>;

async function createKey(input: Record<string, unknown> = {}): Promise<string> {
  const out = (await call("CreateKey", admin, { Tags: [{ TagKey: "run", TagValue: run }], ...input })) as { KeyMetadata: { KeyId: string } };
  return out.KeyMetadata.KeyId;
}

const ids = async (params: KeyListParams = {}) => (await listConsoleKeys(admin, { tag: TAG, pageSize: 100, ...params })).keys.map((r) => r.id);
const sorted = (sort: KeyListSort, dir: "asc" | "desc") => ids({ sort, dir });

beforeAll(async () => {
  admin = await operator();
  // b, a and d have aliases (a has two: its first is -b); c, e and f have none.
  k.a = await createKey({ Description: "alpha" });
  k.b = await createKey({ Description: "100% ready" });
  k.c = await createKey({ Description: "charlie" });
  k.d = await createKey({ Description: "delta", KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
  k.e = await createKey({ Description: "echo" });
  k.f = await createKey({ Description: "foxtrot" });
  for (const [name, key] of [["z", k.a], ["b", k.a], ["a", k.b], ["c", k.d]] as const) {
    await call("CreateAlias", admin, { AliasName: `alias/${run}-${name}`, TargetKeyId: key });
  }
  // Rotation: e every 90 days, b 180, a 365; f would rotate too, but a key pending deletion shows "Off".
  for (const [key, days] of [[k.e, 90], [k.b, 180], [k.a, 365], [k.f, 100]] as const) {
    await call("EnableKeyRotation", admin, { KeyId: key, RotationPeriodInDays: days });
  }
  await call("ScheduleKeyDeletion", admin, { KeyId: k.f, PendingWindowInDays: 7 });
});

describe("the keys list", () => {
  it("sorts by first alias, keys without an alias last ascending and first descending", async () => {
    const asc = await sorted("alias", "asc");
    expect(asc.slice(0, 3)).toEqual([k.b, k.a, k.d]);
    expect(new Set(asc.slice(3))).toEqual(new Set([k.c, k.e, k.f]));
    const desc = await sorted("alias", "desc");
    expect(new Set(desc.slice(0, 3))).toEqual(new Set([k.c, k.e, k.f]));
    expect(desc.slice(3)).toEqual([k.d, k.a, k.b]);
    // The row shows the same first alias the sort used.
    const rows = (await listConsoleKeys(admin, { tag: TAG, sort: "alias", dir: "asc" })).keys;
    expect(rows[1]!.aliases).toEqual([`alias/${run}-b`, `alias/${run}-z`]);
  });

  it("sorts by rotation as the column reads: next date soonest first, then Off, then keys that cannot rotate", async () => {
    const asc = await sorted("rotation", "asc");
    expect(asc.slice(0, 3)).toEqual([k.e, k.b, k.a]);
    expect(new Set(asc.slice(3, 5))).toEqual(new Set([k.c, k.f]));
    expect(asc[5]).toBe(k.d);
    const desc = await sorted("rotation", "desc");
    expect(desc[0]).toBe(k.d);
    expect(new Set(desc.slice(1, 3))).toEqual(new Set([k.c, k.f]));
    expect(desc.slice(3)).toEqual([k.a, k.b, k.e]);
  });

  it("sorts by every other column, both ways", async () => {
    expect(await sorted("description", "asc")).toEqual([k.b, k.a, k.c, k.d, k.e, k.f]);
    expect(await sorted("description", "desc")).toEqual([k.f, k.e, k.d, k.c, k.a, k.b]);
    const byId = Object.values(k).sort();
    expect(await sorted("id", "asc")).toEqual(byId);
    expect(await sorted("id", "desc")).toEqual([...byId].reverse());
    expect(await sorted("createdAt", "asc")).toEqual([k.a, k.b, k.c, k.d, k.e, k.f]);
    expect(await sorted("createdAt", "desc")).toEqual([k.f, k.e, k.d, k.c, k.b, k.a]);
    expect((await sorted("keyState", "desc"))[0]).toBe(k.f); // PendingDeletion after Enabled
    expect((await sorted("keySpec", "asc"))[0]).toBe(k.d); // RSA_2048 before SYMMETRIC_DEFAULT
    expect((await sorted("keyUsage", "desc"))[0]).toBe(k.d); // SIGN_VERIFY after ENCRYPT_DECRYPT
  });

  it("pages through a sort without gaps or repeats, and counts every match", async () => {
    const all = await sorted("alias", "asc");
    const pages = [];
    for (const page of [1, 2, 3]) {
      const p = await listConsoleKeys(admin, { tag: TAG, sort: "alias", dir: "asc", page, pageSize: 2 });
      expect(p).toMatchObject({ total: 6, page, pageSize: 2 });
      pages.push(...p.keys.map((r) => r.id));
    }
    expect(pages).toEqual(all);
    const past = await listConsoleKeys(admin, { tag: TAG, page: 4, pageSize: 2 });
    expect(past.keys).toEqual([]);
    expect(past.total).toBe(6);
  });

  it("searches descriptions, any alias, key IDs and prefixes; LIKE wildcards match literally", async () => {
    expect(await ids({ q: `${run}-z` })).toEqual([k.a]); // a's second alias
    expect(await ids({ q: "CHARLIE" })).toEqual([k.c]);
    expect(await ids({ q: k.e })).toEqual([k.e]);
    expect(await ids({ q: k.d.slice(0, 13) })).toEqual([k.d]); // a prefix, across a dash
    expect(await ids({ q: k.d.slice(0, 6) })).toEqual([k.d]);
    expect(await ids({ q: k.d.slice(0, 6).toUpperCase() })).toEqual([k.d]);
    expect(await ids({ q: "%" })).toEqual([k.b]);
    expect(await ids({ q: "_" })).toEqual([]);
    expect(await ids({ q: `alias/${run}`, sort: "description", dir: "asc" })).toEqual([k.b, k.a, k.d]);
  });

  it("filters by status, key spec, usage and tag", async () => {
    expect(await ids({ status: "PendingDeletion" })).toEqual([k.f]);
    expect(await ids({ spec: "RSA_2048" })).toEqual([k.d]);
    expect(await ids({ usage: "SIGN_VERIFY" })).toEqual([k.d]);
    expect(new Set(await ids({ tag: "run", q: run }))).toEqual(new Set(Object.values(k))); // a tag key alone: any value
    expect(await ids({ tag: `run=${run}-other` })).toEqual([]);
  });

  it("is refused without kms:ListKeys, and allowed by a custom role that grants it", async () => {
    const { user, principal } = await makeUser(null);
    expect((await outcome(listConsoleKeys(principal, { tag: TAG }))).name).toBe("AccessDeniedException");
    const role = await createCustomRole(admin, { name: unique("lister"), policy: policy({ Effect: "Allow", Action: "kms:ListKeys", Resource: "*" }) });
    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    // Listing is allowed, but a tag filter matches only tags the caller may read (ListResourceTags).
    expect((await listConsoleKeys(await sessionPrincipal(user.id), { tag: TAG })).total).toBe(0);
    const tagReader = await createCustomRole(admin, {
      name: unique("lister"),
      policy: policy({ Effect: "Allow", Action: ["kms:ListKeys", "kms:ListResourceTags"], Resource: "*" }),
    });
    await setUserCustomRole(admin, { userId: user.id, customRoleId: tagReader.id });
    const listed = await listConsoleKeys(await sessionPrincipal(user.id), { tag: TAG });
    expect(listed.total).toBe(6);
  });
});

describe("list parameters in the URL", () => {
  it("read every field, bounded, with defaults for what is missing or invalid", () => {
    const view = parseKeyListParams(
      new URLSearchParams("q=%20%20hello%20&sort=alias&dir=asc&page=3&pageSize=500&status=Enabled&spec=HMAC_256&usage=SIGN_VERIFY&tag=team%3Dred"),
    );
    expect(view).toEqual({
      q: "hello",
      tag: "team=red",
      status: "Enabled",
      spec: "HMAC_256",
      usage: "SIGN_VERIFY",
      sort: "alias",
      dir: "asc",
      page: 3,
      pageSize: 100,
    });
    expect(parseKeyListParams(new URLSearchParams("sort=nope&dir=up&page=x&pageSize=&status=Bogus&q=%20"))).toEqual({
      q: undefined,
      tag: undefined,
      status: undefined,
      spec: undefined,
      usage: undefined,
      sort: "createdAt",
      dir: "desc",
      page: 1,
      pageSize: 25,
    });
    expect(parseKeyListParams(new URLSearchParams("page=0&pageSize=-5&q=" + "x".repeat(300))).q).toHaveLength(256);
  });

  it("write only what differs from the default view, and read back the same view", () => {
    expect(keyListSearch({})).toBe("");
    expect(keyListSearch({ sort: "createdAt", dir: "desc", page: 1, pageSize: 25 })).toBe("");
    const search = keyListSearch({ q: "a b&c", status: "Disabled", sort: "rotation", dir: "asc", page: 2, pageSize: 50 });
    expect(search).toBe("q=a+b%26c&status=Disabled&sort=rotation&dir=asc&page=2&pageSize=50");
    expect(parseKeyListParams(new URLSearchParams(search))).toMatchObject({ q: "a b&c", status: "Disabled", sort: "rotation", dir: "asc", page: 2, pageSize: 50 });
  });
});

async function sessionPrincipal(userId: string): Promise<Principal> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const check = await principalFromClaims({ uid: user.id, epoch: user.sessionEpoch, authTime: Math.floor(Date.now() / 1000) }, { maxSeconds: 3600 });
  if (!check.ok) throw new Error(check.reason);
  return check.principal;
}

describe("key page access", () => {
  const describeKeyEvents = (keyId: string, principalArn: string) =>
    prisma.auditEvent.count({ where: { keyId, eventName: "DescribeKey", principalArn } });

  it("follows DescribeKey: a custom role that allows it opens the page, and the check is audited", async () => {
    const { user } = await makeUser(null);
    const before = await sessionPrincipal(user.id);
    expect(await keyPageAccess(before, k.a)).toBe("denied");
    expect(await keysPageAccess(before)).toBe("denied");
    expect(navigationFor(before).map((i) => i.label)).not.toContain("Keys");

    const role = await createCustomRole(admin, {
      name: unique("describer"),
      policy: policy({ Effect: "Allow", Action: ["kms:DescribeKey", "kms:ListKeys"], Resource: "*" }),
    });
    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    const reader = await sessionPrincipal(user.id);
    expect(reader.role).toBeNull();
    const audited = await describeKeyEvents(k.a, reader.arn);
    expect(await keyPageAccess(reader, k.a)).toBe("allowed");
    expect(await keysPageAccess(reader)).toBe("allowed");
    expect(navigationFor(reader).map((i) => i.label)).toContain("Keys");
    expect(await describeKeyEvents(k.a, reader.arn)).toBe(audited + 1);
  });

  it("denies a built-in role whose custom role denies DescribeKey, and reports missing keys as not found", async () => {
    const { user } = await makeUser("AUDITOR");
    const auditor = await sessionPrincipal(user.id);
    expect(await keyPageAccess(auditor, k.a)).toBe("allowed");
    const role = await createCustomRole(admin, { name: unique("blind"), policy: policy({ Effect: "Deny", Action: "kms:DescribeKey", Resource: "*" }) });
    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    expect(await keyPageAccess(await sessionPrincipal(user.id), k.a)).toBe("denied");
    expect(await keyPageAccess(auditor, "00000000-0000-4000-8000-000000000000")).toBe("not-found");
    expect(await keyPageAccess(auditor, "not-a-key")).toBe("not-found");
  });
});

describe("key pages rendered with their data", () => {
  const events = (eventName: string, principalArn: string) => prisma.auditEvent.count({ where: { eventName, principalArn } });

  it("reads the keys list's first rows with the page, as one audited ListKeys that is also the page's check", async () => {
    const { user } = await makeUser(null);
    const nobody = await sessionPrincipal(user.id);
    expect(await keysPageWithFirstRows(nobody, {})).toEqual({ access: "denied" });
    const before = await events("ListKeys", admin.arn);
    const page = await keysPageWithFirstRows(admin, { tag: TAG, sort: "id", dir: "asc", pageSize: 2 });
    expect(page).toEqual({ access: "allowed", first: await listConsoleKeys(admin, { tag: TAG, sort: "id", dir: "asc", pageSize: 2 }) });
    expect(await events("ListKeys", admin.arn)).toBe(before + 2);
  });

  it("reads a key page's data once, judges a refusal as keyPageAccess does, and reports a missing key", async () => {
    const before = await events("DescribeKey", admin.arn);
    const page = await keyPageWithData(admin, k.a);
    expect(page.access).toBe("allowed");
    expect(page.key).toEqual(await getConsoleKey(admin, k.a));
    expect(await events("DescribeKey", admin.arn)).toBe(before + 2);
    const { user } = await makeUser(null);
    expect(await keyPageWithData(await sessionPrincipal(user.id), k.a)).toEqual({ access: "denied" });
    expect(await keyPageWithData(admin, "00000000-0000-4000-8000-000000000000")).toEqual({ access: "not-found" });
  });
});

describe("console controls follow the policy engine, not the role's name", () => {
  it("offers the built-in roles what their identity policies allow", async () => {
    const by = async (role: "ADMINISTRATOR" | "KEY_ADMINISTRATOR" | "KEY_USER" | "AUDITOR") => sessionPrincipal((await makeUser(role)).user.id);
    const [administrator, keyAdmin, keyUser, auditor] = await Promise.all([by("ADMINISTRATOR"), by("KEY_ADMINISTRATOR"), by("KEY_USER"), by("AUDITOR")]);
    expect([administrator, keyAdmin, keyUser, auditor].map(mayManageKeys)).toEqual([true, true, false, false]);
    expect([administrator, keyAdmin, keyUser, auditor].map(mayCreateKeys)).toEqual([true, true, false, false]);
    expect([administrator, keyAdmin, keyUser, auditor].map(mayUseKeys)).toEqual([true, false, true, false]);
    expect(await Promise.all([administrator, keyAdmin, keyUser, auditor].map((p) => mayManageKey(p, k.a)))).toEqual([true, true, false, false]);
    expect(navigationFor(keyUser).map((i) => i.label)).toContain("Playground");
    expect(navigationFor(keyAdmin).map((i) => i.label)).not.toContain("Playground");
  });

  it("offers a custom role's allowed actions, on the keys its policy names", async () => {
    const { user } = await makeUser(null);
    const role = await createCustomRole(admin, {
      name: unique("describer-editor"),
      policy: policy({ Effect: "Allow", Action: ["kms:DescribeKey", "kms:UpdateKeyDescription"], Resource: `arn:aws:kms:*:*:key/${k.b}` }),
    });
    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    const editor = await sessionPrincipal(user.id);
    expect(await mayManageKey(editor, k.b)).toBe(true);
    expect(await mayManageKey(editor, k.c)).toBe(false);
    expect(mayCreateKeys(editor)).toBe(false);
    expect(await mayManageKey(editor, "00000000-0000-4000-8000-000000000000")).toBe(false);
  });

  it("opens the playground to a role that may use keys in any way, signing only included", async () => {
    const { user } = await makeUser(null);
    const role = await createCustomRole(admin, { name: unique("signer"), policy: policy({ Effect: "Allow", Action: ["kms:Sign", "kms:Verify"], Resource: "*" }) });
    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    const signer = await sessionPrincipal(user.id);
    expect(mayUseKeys(signer)).toBe(true);
    expect(navigationFor(signer).map((i) => i.label)).toContain("Playground");
  });
});

describe("console key reads are the KMS operations they stand for", () => {
  it("records each list and key read once, and withholds what the key policy does not let the caller describe", async () => {
    const viewer = await sessionPrincipal((await makeUser("KEY_ADMINISTRATOR")).user.id);
    const hidden = await createKey({
      Description: "secret project name",
      Policy: policy(rootStatement(admin.accountId), { Effect: "Deny", Principal: { AWS: viewer.arn }, Action: "kms:DescribeKey", Resource: "*" }),
    });
    const events = (eventName: string, keyId?: string) => prisma.auditEvent.count({ where: { principalArn: viewer.arn, eventName, ...(keyId ? { keyId } : {}) } });

    const lists = await events("ListKeys");
    const page = await listConsoleKeys(viewer, { tag: TAG, pageSize: 100 });
    expect(await events("ListKeys")).toBe(lists + 1);
    const row = page.keys.find((r) => r.id === hidden)!;
    expect(row).toMatchObject({ restricted: true, description: "" });
    expect(page.keys.find((r) => r.id === k.a)).toMatchObject({ description: "alpha" });
    expect(page.keys.find((r) => r.id === k.a)!.restricted).toBeUndefined();

    // The key page's read: one DescribeKey event naming the key, allowed or denied.
    await getConsoleKey(viewer, k.a);
    expect(await events("DescribeKey", k.a)).toBe(1);
    expect((await outcome(getConsoleKey(viewer, hidden))).name).toBe("AccessDeniedException");
    const denied = await prisma.auditEvent.findMany({ where: { principalArn: viewer.arn, eventName: "DescribeKey", keyId: hidden } });
    expect(denied.map((e) => e.errorCode)).toEqual(["AccessDeniedException"]);
  });
});

describe("the create-key wizard's reads", () => {
  it("are recorded, allowed or denied: the principals it offers (ListUsers) and the alias check (ListAliases)", async () => {
    const { listKeyPrincipals, aliasAvailability } = await import("@/lib/console/keys/queries");
    const { auditEvents } = await import("../support/audit-rows");
    const principals = await listKeyPrincipals(admin);
    expect(principals.length).toBeGreaterThan(0);
    const alias = `alias/${run}-free`;
    expect(await aliasAvailability(admin, alias)).toEqual({ available: true });
    const [listed] = await auditEvents({ where: { eventName: "ListUsers", principalArn: admin.arn }, orderBy: { id: "desc" }, take: 1 });
    expect(JSON.parse(listed!.record)).toMatchObject({ eventSource: "iam.amazonaws.com", responseElements: { users: principals.length } });
    expect(await auditEvents({ where: { eventName: "ListAliases", principalArn: admin.arn } }, alias)).toHaveLength(1);
    const nobody = (await makeUser(null)).principal;
    expect((await outcome(aliasAvailability(nobody, alias))).name).toBe("AccessDeniedException");
    expect(await auditEvents({ where: { eventName: "ListAliases", principalArn: nobody.arn, errorCode: "AccessDeniedException" } }, alias)).toHaveLength(1);
  });
});
