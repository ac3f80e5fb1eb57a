// TagResource, UntagResource, ListResourceTags.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { InvalidMarkerException, LimitExceededException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { resolveKey } from "../resolve";
import { assertNotInState } from "../state";
import { assertTagKeyNotReserved, checkTags, MAX_TAGS_PER_KEY, tagListField, type Tag } from "../tags";
import { intField, keyIdField, str, validateRequest } from "../validate";
import { assertLockedKey, lockKeyRow } from "./deletion";

// ---- Opaque markers for the lifecycle list operations --------------------
// base64url of [kind, last sort key]; the kind stops a marker of one list
// from being replayed against another.

export function encodeListMarker(kind: string, last: string | number): string {
  return Buffer.from(JSON.stringify([kind, last])).toString("base64url");
}

/** The last sort key a marker carries, or InvalidMarkerException. */
export function decodeListMarker<T extends "string" | "number">(
  kind: string,
  marker: string,
  type: T,
): T extends "string" ? string : number {
  try {
    const [k, last] = JSON.parse(Buffer.from(marker, "base64url").toString("utf8")) as [unknown, unknown];
    if (k === kind && typeof last === type) return last as T extends "string" ? string : number;
  } catch {
    // fall through
  }
  throw new InvalidMarkerException(messages.invalidMarker);
}

// ---- Operations ------------------------------------------------------------

const tagSchema = z.object({
  KeyId: keyIdField,
  // Required here (tagListField is CreateKey's optional list).
  Tags: z
    .unknown()
    .refine((t) => t !== undefined, messages.notNull)
    .pipe(tagListField.unwrap()),
});

export async function tagResource(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:TagResource");
  const req = validateRequest(tagSchema, input);
  const tags: Tag[] = req.Tags;
  checkTags(tags);
  const ctx = await kmsContext();
  // AWS: key ID or key ARN only; tags belong to the key, not to an alias.
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:TagResource", ctx, key);
  assertNotInState(ctx, key, ["PendingDeletion"]);
  await prisma.$transaction(async (tx) => {
    // The key row lock serialises tag changes of one key: the quota holds
    // under concurrency, and a concurrent ScheduleKeyDeletion is seen.
    assertLockedKey(ctx, key, await lockKeyRow(tx, key.id), ["PendingDeletion"]);
    for (const t of tags) {
      await tx.keyTag.upsert({
        where: { keyId_tagKey: { keyId: key.id, tagKey: t.TagKey } },
        create: { keyId: key.id, tagKey: t.TagKey, tagValue: t.TagValue },
        update: { tagValue: t.TagValue },
      });
    }
    const total = await tx.keyTag.count({ where: { keyId: key.id } });
    if (total > MAX_TAGS_PER_KEY) {
      // Thrown inside the transaction: nothing of this request is kept.
      throw new LimitExceededException(messages.tagsQuota(MAX_TAGS_PER_KEY, total));
    }
  });
  return {};
}

const untagSchema = z.object({
  KeyId: keyIdField,
  TagKeys: z
    .array(str(1, 128), { error: (iss) => (iss.input === undefined ? "Member must not be null" : "Member must be a list") }),
});

export async function untagResource(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:UntagResource");
  const req = validateRequest(untagSchema, input);
  for (const k of req.TagKeys) assertTagKeyNotReserved(k);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:UntagResource", ctx, key);
  assertNotInState(ctx, key, ["PendingDeletion"]);
  await prisma.$transaction(async (tx) => {
    assertLockedKey(ctx, key, await lockKeyRow(tx, key.id), ["PendingDeletion"]);
    // AWS: keys that are not on the resource are ignored.
    await tx.keyTag.deleteMany({ where: { keyId: key.id, tagKey: { in: req.TagKeys } } });
  });
  return {};
}

const listSchema = z.object({
  KeyId: keyIdField,
  // The model allows up to 1000; AWS documents 1-50 for ListResourceTags.
  Limit: intField(1, 50).optional(),
  Marker: str(1, 1024).optional(),
});

export async function listResourceTags(
  caller: Principal,
  input: unknown,
): Promise<{ Tags: Tag[]; Truncated: boolean; NextMarker?: string }> {
  assertCallerActive(caller, "kms:ListResourceTags");
  const req = validateRequest(listSchema, input);
  const after = req.Marker !== undefined ? decodeListMarker("tags", req.Marker, "string") : undefined;
  const limit = req.Limit ?? 50;
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:ListResourceTags", ctx, key);
  const rows = await prisma.keyTag.findMany({
    where: { keyId: key.id, ...(after !== undefined ? { tagKey: { gt: after } } : {}) },
    orderBy: { tagKey: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const last = page[page.length - 1];
  return {
    Tags: page.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })),
    Truncated: truncated,
    ...(truncated && last ? { NextMarker: encodeListMarker("tags", last.tagKey) } : {}),
  };
}
