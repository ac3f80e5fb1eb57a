import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { kmsOperations } from "@/lib/kms";
import { createAlias } from "@/lib/kms/operations/aliases";
import { cancelKeyDeletion, scheduleKeyDeletion } from "@/lib/kms/operations/deletion";
import { listResourceTags, tagResource, untagResource } from "@/lib/kms/operations/tags";
import { callers, newKey, rejection, type Callers } from "./fixtures";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});

const tags = (n: number, prefix = "k") =>
  Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${String(i).padStart(2, "0")}`, TagValue: `v${i}` }));

describe("TagResource / UntagResource / ListResourceTags", () => {
  it("adds tags, overwrites values of existing keys and lists them sorted by key", async () => {
    const key = await newKey(c.keyAdmin, { Tags: [{ TagKey: "team", TagValue: "payments" }] });
    expect(
      await tagResource(c.keyAdmin, {
        KeyId: key.id,
        Tags: [
          { TagKey: "env", TagValue: "prod" },
          { TagKey: "team", TagValue: "billing" },
          { TagKey: "Cost-Center", TagValue: "" },
        ],
      }),
    ).toEqual({});
    const listed = await listResourceTags(c.auditor, { KeyId: key.arn });
    expect(listed).toEqual({
      Tags: [
        { TagKey: "Cost-Center", TagValue: "" },
        { TagKey: "env", TagValue: "prod" },
        { TagKey: "team", TagValue: "billing" },
      ],
      Truncated: false,
    });
  });

  it("untags the given keys and ignores keys that are not there", async () => {
    const key = await newKey(c.keyAdmin, { Tags: tags(3) });
    expect(await untagResource(c.keyAdmin, { KeyId: key.id, TagKeys: ["k01", "nope"] })).toEqual({});
    expect((await listResourceTags(c.keyUser, { KeyId: key.id })).Tags.map((t) => t.TagKey)).toEqual(["k00", "k02"]);
  });

  it("allows 50 tags per key in total; more is LimitExceededException and changes nothing", async () => {
    const key = await newKey(c.keyAdmin, { Tags: tags(40, "a") });
    await tagResource(c.keyAdmin, { KeyId: key.id, Tags: tags(10, "b") });
    expect(await prisma.keyTag.count({ where: { keyId: key.id } })).toBe(50);
    // Overwriting existing keys does not add to the count.
    await tagResource(c.keyAdmin, { KeyId: key.id, Tags: [{ TagKey: "a00", TagValue: "new" }] });
    const e = await rejection(
      tagResource(c.keyAdmin, { KeyId: key.id, Tags: [{ TagKey: "a01", TagValue: "changed" }, { TagKey: "c", TagValue: "1" }] }),
    );
    expect(e.name).toBe("LimitExceededException");
    const stored = await prisma.keyTag.findMany({ where: { keyId: key.id } });
    expect(stored).toHaveLength(50);
    expect(stored.find((t) => t.tagKey === "a01")?.tagValue).toBe("v1"); // the whole request was rolled back
    expect(stored.find((t) => t.tagKey === "a00")?.tagValue).toBe("new");
    // More than 50 in one request is refused before anything happens (AWS: TagException "Too many tags").
    const key2 = await newKey(c.keyAdmin);
    const tooMany = await rejection(tagResource(c.keyAdmin, { KeyId: key2.id, Tags: tags(51) }));
    expect([tooMany.name, tooMany.message]).toEqual(["TagException", "Too many tags"]);
    expect(await prisma.keyTag.count({ where: { keyId: key2.id } })).toBe(0);
  });

  it("keeps the quota under concurrent requests", async () => {
    const key = await newKey(c.keyAdmin, { Tags: tags(45, "a") });
    const results = await Promise.allSettled(
      [0, 1, 2].map((i) => tagResource(c.keyAdmin, { KeyId: key.id, Tags: tags(3, `p${i}-`) })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.keyTag.count({ where: { keyId: key.id } })).toBe(48);
  });

  it("rejects the reserved aws: prefix, duplicate keys and bad lengths", async () => {
    const key = await newKey(c.keyAdmin);
    for (const bad of [
      [{ TagKey: "aws:createdBy", TagValue: "x" }],
      [{ TagKey: "AWS:thing", TagValue: "x" }],
      [
        { TagKey: "dup", TagValue: "1" },
        { TagKey: "dup", TagValue: "2" },
      ],
    ]) {
      expect((await rejection(tagResource(c.keyAdmin, { KeyId: key.id, Tags: bad }))).name).toBe("TagException");
    }
    expect((await rejection(untagResource(c.keyAdmin, { KeyId: key.id, TagKeys: ["aws:x"] }))).name).toBe("TagException");
    for (const bad of [
      [{ TagKey: "", TagValue: "x" }],
      [{ TagKey: "k".repeat(129), TagValue: "x" }],
      [{ TagKey: "k", TagValue: "v".repeat(257) }],
    ]) {
      expect((await rejection(tagResource(c.keyAdmin, { KeyId: key.id, Tags: bad }))).name).toBe("ValidationException");
    }
    const missing = await rejection(tagResource(c.keyAdmin, { KeyId: key.id }));
    expect(missing.name).toBe("ValidationException");
    expect(missing.message).toBe("Tags is required.");
    expect((await rejection(untagResource(c.keyAdmin, { KeyId: key.id }))).name).toBe("ValidationException");
    expect(await prisma.keyTag.count({ where: { keyId: key.id } })).toBe(0);
  });

  it("refuses tag changes on a key pending deletion but still lists its tags", async () => {
    const key = await newKey(c.keyAdmin, { Tags: [{ TagKey: "keep", TagValue: "me" }] });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id });
    const add = await rejection(tagResource(c.keyAdmin, { KeyId: key.id, Tags: [{ TagKey: "x", TagValue: "y" }] }));
    expect(add.name).toBe("KMSInvalidStateException");
    const remove = await rejection(untagResource(c.keyAdmin, { KeyId: key.id, TagKeys: ["keep"] }));
    expect(remove.name).toBe("KMSInvalidStateException");
    expect((await listResourceTags(c.auditor, { KeyId: key.id })).Tags).toEqual([{ TagKey: "keep", TagValue: "me" }]);
    await cancelKeyDeletion(c.keyAdmin, { KeyId: key.id });
    await tagResource(c.keyAdmin, { KeyId: key.id, Tags: [{ TagKey: "x", TagValue: "y" }] });
  });

  it("tags a disabled key", async () => {
    const key = await newKey(c.keyAdmin);
    await kmsOperations.DisableKey!(c.keyAdmin, { KeyId: key.id });
    await tagResource(c.keyAdmin, { KeyId: key.id, Tags: [{ TagKey: "state", TagValue: "off" }] });
    expect((await listResourceTags(c.auditor, { KeyId: key.id })).Tags).toHaveLength(1);
  });

  it("takes a key ID or key ARN, not an alias", async () => {
    const key = await newKey(c.keyAdmin);
    const alias = `alias/tags-${key.id}`;
    await createAlias(c.keyAdmin, { AliasName: alias, TargetKeyId: key.id });
    const e = await rejection(tagResource(c.keyAdmin, { KeyId: alias, Tags: [{ TagKey: "a", TagValue: "b" }] }));
    expect(e.name).toBe("NotFoundException");
    expect((await rejection(listResourceTags(c.auditor, { KeyId: alias }))).name).toBe("NotFoundException");
  });

  it("pages ListResourceTags with Limit (1-50) and Marker", async () => {
    const key = await newKey(c.keyAdmin, { Tags: tags(12) });
    const first = await listResourceTags(c.auditor, { KeyId: key.id, Limit: 5 });
    expect(first.Tags.map((t) => t.TagKey)).toEqual(["k00", "k01", "k02", "k03", "k04"]);
    expect(first.Truncated).toBe(true);
    const second = await listResourceTags(c.auditor, { KeyId: key.id, Limit: 5, Marker: first.NextMarker });
    expect(second.Tags.map((t) => t.TagKey)).toEqual(["k05", "k06", "k07", "k08", "k09"]);
    const third = await listResourceTags(c.auditor, { KeyId: key.id, Limit: 5, Marker: second.NextMarker });
    expect(third).toEqual({ Tags: [{ TagKey: "k10", TagValue: "v10" }, { TagKey: "k11", TagValue: "v11" }], Truncated: false });
    expect((await listResourceTags(c.auditor, { KeyId: key.id })).Tags).toHaveLength(12);
    expect((await rejection(listResourceTags(c.auditor, { KeyId: key.id, Limit: 51 }))).name).toBe("ValidationException");
    expect((await rejection(listResourceTags(c.auditor, { KeyId: key.id, Marker: "bad!" }))).name).toBe(
      "InvalidMarkerException",
    );
  });
});
