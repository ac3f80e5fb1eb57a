import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { kmsContext, type KmsContext } from "@/lib/kms/context";
import { kmsOperations } from "@/lib/kms";
import { createAlias, deleteAlias, listAliases, MAX_ALIASES_PER_KEY, updateAlias } from "@/lib/kms/operations/aliases";
import { describeKey } from "@/lib/kms/operations/describe-key";
import { scheduleKeyDeletion } from "@/lib/kms/operations/deletion";
import { callers, decryptText, encryptText, freezeClock, newKey, rejection, restoreClock, type Callers } from "./fixtures";

let c: Callers;
let ctx: KmsContext;
let n = 0;
const unique = (base: string) => `alias/${base}-${process.pid}-${Date.now().toString(36)}-${++n}`;

beforeAll(async () => {
  c = await callers();
  ctx = await kmsContext();
});

afterEach(restoreClock);

describe("CreateAlias", () => {
  it("creates an alias that Encrypt, Decrypt and DescribeKey accept by name and by ARN", async () => {
    const key = await newKey(c.keyAdmin);
    const name = unique("app");
    expect(await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: key.id })).toEqual({});

    const byName = await describeKey(c.auditor, { KeyId: name });
    expect(byName.KeyMetadata.KeyId).toBe(key.id);
    const byArn = await describeKey(c.auditor, { KeyId: ctx.aliasArn(name) });
    expect(byArn.KeyMetadata.Arn).toBe(key.arn);

    const viaName = await encryptText(c.keyUser, name, "hello");
    expect(viaName.KeyId).toBe(key.arn);
    const viaArn = await encryptText(c.keyUser, ctx.aliasArn(name), "world");
    expect(viaArn.KeyId).toBe(key.arn);
    expect(await decryptText(c.keyUser, viaName.CiphertextBlob)).toBe("hello");
    expect(await decryptText(c.keyUser, viaArn.CiphertextBlob)).toBe("world");
  });

  it("accepts the key ARN as TargetKeyId but not another alias", async () => {
    const key = await newKey(c.keyAdmin);
    const first = unique("first");
    await createAlias(c.keyAdmin, { AliasName: first, TargetKeyId: key.arn });
    const e = await rejection(createAlias(c.keyAdmin, { AliasName: unique("second"), TargetKeyId: first }));
    expect(e.name).toBe("NotFoundException");
    const missing = await rejection(
      createAlias(c.keyAdmin, { AliasName: unique("x"), TargetKeyId: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(missing.name).toBe("NotFoundException");
  });

  it("rejects duplicates with AlreadyExistsException", async () => {
    const [a, b] = [await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    const name = unique("dup");
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: a.id });
    const e = await rejection(createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: b.id }));
    expect(e.name).toBe("AlreadyExistsException");
    expect(e.message).toContain(ctx.aliasArn(name));
    expect((await prisma.alias.findUniqueOrThrow({ where: { name } })).keyId).toBe(a.id);
  });

  it.each([
    ["no alias/ prefix", "my-key", "ValidationException"],
    ["the reserved alias/aws/ prefix", "alias/aws/s3", "InvalidAliasNameException"],
    ["a colon", "alias/a:b", "InvalidAliasNameException"],
    ["nothing after the prefix", "alias/", "InvalidAliasNameException"],
    ["a space", "alias/has space", "ValidationException"],
    ["a dot", "alias/a.b", "ValidationException"],
    ["more than 256 characters", `alias/${"x".repeat(251)}`, "ValidationException"],
    ["an empty name", "", "ValidationException"],
  ])("rejects a name with %s", async (_what, name, expected) => {
    const key = await newKey(c.keyAdmin);
    const e = await rejection(createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: key.id }));
    expect(e.name).toBe(expected);
    expect(await prisma.alias.count({ where: { keyId: key.id } })).toBe(0);
  });

  it("accepts a 256-character name", async () => {
    const key = await newKey(c.keyAdmin);
    const name = `alias/${key.id}-${"y".repeat(256 - 6 - 37)}`;
    expect(name).toHaveLength(256);
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: key.id });
    expect((await describeKey(c.keyAdmin, { KeyId: name })).KeyMetadata.KeyId).toBe(key.id);
  });

  it("reports a missing member as ValidationException", async () => {
    const e = await rejection(createAlias(c.keyAdmin, {}));
    expect(e.name).toBe("ValidationException");
    expect(e.message).toBe("AliasName is required.");
  });

  it("refuses a key pending deletion", async () => {
    const key = await newKey(c.keyAdmin);
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: 7 });
    const e = await rejection(createAlias(c.keyAdmin, { AliasName: unique("late"), TargetKeyId: key.id }));
    expect(e.name).toBe("KMSInvalidStateException");
    expect(e.message).toContain("pending deletion");
  });

  it("allows a disabled key as target", async () => {
    const key = await newKey(c.keyAdmin);
    await kmsOperations.DisableKey!(c.keyAdmin, { KeyId: key.id });
    const name = unique("disabled");
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: key.id });
    expect((await rejection(encryptText(c.keyUser, name, "x"))).name).toBe("DisabledException");
  });

  it(`allows at most ${MAX_ALIASES_PER_KEY} aliases per key`, async () => {
    const key = await newKey(c.keyAdmin);
    const base = unique("many");
    for (let i = 0; i < MAX_ALIASES_PER_KEY; i++) {
      await createAlias(c.keyAdmin, { AliasName: `${base}-${i}`, TargetKeyId: key.id });
    }
    const e = await rejection(createAlias(c.keyAdmin, { AliasName: `${base}-over`, TargetKeyId: key.id }));
    expect(e.name).toBe("LimitExceededException");
    expect(await prisma.alias.count({ where: { keyId: key.id } })).toBe(MAX_ALIASES_PER_KEY);
  });
});

describe("UpdateAlias", () => {
  it("re-points an alias and updates LastUpdatedDate, keeping CreationDate", async () => {
    const [a, b] = [await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    const name = unique("move");
    freezeClock(new Date("2030-01-01T00:00:00Z"));
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: a.id });
    freezeClock(new Date("2030-02-01T00:00:00Z"));
    await updateAlias(c.keyAdmin, { AliasName: name, TargetKeyId: b.arn });
    restoreClock();

    const [entry] = (await listAliases(c.auditor, { KeyId: b.id })).Aliases;
    expect(entry).toEqual({
      AliasName: name,
      AliasArn: ctx.aliasArn(name),
      TargetKeyId: b.id,
      CreationDate: new Date("2030-01-01T00:00:00Z"),
      LastUpdatedDate: new Date("2030-02-01T00:00:00Z"),
    });
    expect((await listAliases(c.auditor, { KeyId: a.id })).Aliases).toEqual([]);
    expect((await encryptText(c.keyUser, name, "x")).KeyId).toBe(b.arn);
  });

  it("answers NotFoundException for an unknown alias", async () => {
    const key = await newKey(c.keyAdmin);
    const e = await rejection(updateAlias(c.keyAdmin, { AliasName: unique("ghost"), TargetKeyId: key.id }));
    expect(e.name).toBe("NotFoundException");
  });

  it("refuses a target of another key type or usage", async () => {
    const sym = await newKey(c.keyAdmin);
    const hmac = await newKey(c.keyAdmin, { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    const rsaSign = await newKey(c.keyAdmin, { KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
    const ecSign = await newKey(c.keyAdmin, { KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    const rsaEncrypt = await newKey(c.keyAdmin, { KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" });
    const name = unique("typed");
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: rsaSign.id });
    for (const other of [sym, hmac, rsaEncrypt]) {
      const e = await rejection(updateAlias(c.keyAdmin, { AliasName: name, TargetKeyId: other.id }));
      expect(e.name).toBe("ValidationException");
    }
    expect((await prisma.alias.findUniqueOrThrow({ where: { name } })).keyId).toBe(rsaSign.id);
    // Same type (asymmetric) and usage, different family: allowed.
    await updateAlias(c.keyAdmin, { AliasName: name, TargetKeyId: ecSign.id });
    expect((await prisma.alias.findUniqueOrThrow({ where: { name } })).keyId).toBe(ecSign.id);
  });

  it("refuses a target pending deletion", async () => {
    const [a, b] = [await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    const name = unique("to-pending");
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: a.id });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: b.id });
    expect((await rejection(updateAlias(c.keyAdmin, { AliasName: name, TargetKeyId: b.id }))).name).toBe(
      "KMSInvalidStateException",
    );
  });
});

describe("DeleteAlias", () => {
  it("deletes an alias; the key stays and the name is free again", async () => {
    const key = await newKey(c.keyAdmin);
    const name = unique("gone");
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: key.id });
    expect(await deleteAlias(c.keyAdmin, { AliasName: name })).toEqual({});
    expect((await rejection(describeKey(c.keyAdmin, { KeyId: name }))).name).toBe("NotFoundException");
    expect((await describeKey(c.keyAdmin, { KeyId: key.id })).KeyMetadata.KeyState).toBe("Enabled");
    expect((await rejection(deleteAlias(c.keyAdmin, { AliasName: name }))).name).toBe("NotFoundException");
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: key.id });
  });

  it("deletes the alias of a key pending deletion", async () => {
    const key = await newKey(c.keyAdmin);
    const name = unique("pending");
    await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: key.id });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id });
    await deleteAlias(c.keyAdmin, { AliasName: name });
    expect(await prisma.alias.count({ where: { name } })).toBe(0);
  });
});

describe("ListAliases", () => {
  beforeEach(async () => {
    await prisma.alias.deleteMany();
  });

  it("pages through all aliases in name order with Limit and Marker", async () => {
    const [a, b] = [await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    const names = Array.from({ length: 7 }, (_, i) => `alias/page-${String(i).padStart(2, "0")}`);
    for (const [i, name] of names.entries()) {
      await createAlias(c.keyAdmin, { AliasName: name, TargetKeyId: i % 2 ? a.id : b.id });
    }
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await listAliases(c.keyUser, { Limit: 3, ...(marker ? { Marker: marker } : {}) });
      pages++;
      seen.push(...page.Aliases.map((x) => x.AliasName));
      expect(page.Aliases.length).toBeLessThanOrEqual(3);
      expect(page.Truncated).toBe(page.NextMarker !== undefined);
      marker = page.NextMarker;
    } while (marker);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);

    const all = await listAliases(c.auditor, {});
    expect(all.Truncated).toBe(false);
    expect(all.Aliases.map((x) => x.AliasName)).toEqual(names);
    expect(all.Aliases[0]).toMatchObject({ AliasArn: ctx.aliasArn(names[0]!), TargetKeyId: b.id });
  });

  it("lists only one key's aliases with KeyId (key ID or key ARN)", async () => {
    const [a, b] = [await newKey(c.keyAdmin), await newKey(c.keyAdmin)];
    await createAlias(c.keyAdmin, { AliasName: "alias/k-a1", TargetKeyId: a.id });
    await createAlias(c.keyAdmin, { AliasName: "alias/k-a2", TargetKeyId: a.id });
    await createAlias(c.keyAdmin, { AliasName: "alias/k-b1", TargetKeyId: b.id });
    const byId = await listAliases(c.auditor, { KeyId: a.id });
    expect(byId.Aliases.map((x) => x.AliasName)).toEqual(["alias/k-a1", "alias/k-a2"]);
    expect(byId.Aliases.every((x) => x.TargetKeyId === a.id)).toBe(true);
    const byArn = await listAliases(c.auditor, { KeyId: b.arn });
    expect(byArn.Aliases.map((x) => x.AliasName)).toEqual(["alias/k-b1"]);
    expect((await rejection(listAliases(c.auditor, { KeyId: "alias/k-a1" }))).name).toBe("NotFoundException");
  });

  it("validates Limit and Marker", async () => {
    expect((await rejection(listAliases(c.auditor, { Limit: 0 }))).name).toBe("ValidationException");
    expect((await rejection(listAliases(c.auditor, { Limit: 101 }))).name).toBe("ValidationException");
    expect((await rejection(listAliases(c.auditor, { Marker: "garbage" }))).name).toBe("InvalidMarkerException");
    expect((await listAliases(c.auditor, { Limit: 100 })).Aliases).toEqual([]);
  });
});
