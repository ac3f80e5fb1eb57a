// CreateAlias, UpdateAlias, DeleteAlias, ListAliases.
import { z } from "zod";
import { noteKey } from "@/lib/audit/context";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type KmsKey } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/status";
import {
  AlreadyExistsException,
  InvalidAliasNameException,
  LimitExceededException,
  NotFoundException,
  ValidationException,
} from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeAccountAction, authorizeKeyAction } from "../authorize";
import { now } from "../clock";
import { kmsContext, type KmsContext } from "../context";
import { resolveKey } from "../resolve";
import { assertNotInState } from "../state";
import { intField, keyIdField, str, validateRequest } from "../validate";
import { assertLockedKey, lockKeyRow } from "./deletion";
import { decodeListMarker, encodeListMarker } from "./tags";

/** AWS quota "Aliases per KMS key". */
export const MAX_ALIASES_PER_KEY = 50;

const ALIAS_PATTERN = "^[a-zA-Z0-9:/_-]+$";
const aliasNameField = str(1, 256).regex(
  new RegExp(ALIAS_PATTERN),
  messages.pattern(ALIAS_PATTERN),
);

/** AWS's alias-name rules: a missing "alias/" prefix is a ValidationException, the rest InvalidAliasNameException. */
function checkAliasName(name: string): void {
  if (!name.startsWith("alias/")) throw new ValidationException(messages.aliasPrefix);
  // The model's pattern admits ':', but AWS documents alias names as letters,
  // digits, '/', '_' and '-' only.
  if (name.length === "alias/".length || name.includes(":")) {
    throw new InvalidAliasNameException(messages.aliasNameInvalid(name));
  }
  if (name.startsWith("alias/aws/")) {
    throw new InvalidAliasNameException(messages.aliasReserved(name));
  }
}

const aliasNotFound = (ctx: KmsContext, name: string) => new NotFoundException(messages.aliasNotFound(ctx.aliasArn(name)));

const aliasesQuota = (current: number) => new LimitExceededException(messages.aliasesQuota(MAX_ALIASES_PER_KEY, current));

const createSchema = z.object({ AliasName: aliasNameField, TargetKeyId: keyIdField });

export async function createAlias(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:CreateAlias");
  const req = validateRequest(createSchema, input);
  checkAliasName(req.AliasName);
  const ctx = await kmsContext();
  // AWS: TargetKeyId is a key ID or key ARN, never another alias.
  const { key } = await resolveKey(ctx, req.TargetKeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:CreateAlias", ctx, key);
  assertNotInState(ctx, key, ["PendingDeletion"]);
  const at = now();
  try {
    await prisma.$transaction(async (tx) => {
      // Locked so the quota holds and a key scheduled for deletion meanwhile gets no alias.
      assertLockedKey(ctx, key, await lockKeyRow(tx, key.id), ["PendingDeletion"]);
      const current = await tx.alias.count({ where: { keyId: key.id } });
      if (current >= MAX_ALIASES_PER_KEY) throw aliasesQuota(current);
      await tx.alias.create({ data: { name: req.AliasName, keyId: key.id, createdAt: at, updatedAt: at } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new AlreadyExistsException(messages.aliasExists(ctx.aliasArn(req.AliasName)));
    }
    throw e;
  }
  return {};
}

/** AWS: an alias may only move between keys of the same type (symmetric, asymmetric, HMAC) and usage. */
function keyType(key: KmsKey): string {
  if (key.keySpec === "SYMMETRIC_DEFAULT") return "symmetric";
  return key.keySpec.startsWith("HMAC_") ? "HMAC" : "asymmetric";
}

const updateSchema = z.object({ AliasName: aliasNameField, TargetKeyId: keyIdField });

export async function updateAlias(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:UpdateAlias");
  const req = validateRequest(updateSchema, input);
  const ctx = await kmsContext();
  const alias = await prisma.alias.findUnique({ where: { name: req.AliasName }, include: { key: true } });
  if (!alias || alias.key.deletedAt) throw aliasNotFound(ctx, req.AliasName);
  const { key: target } = await resolveKey(ctx, req.TargetKeyId, { allowAlias: false });
  // AWS: kms:UpdateAlias on the alias's current key and on the new target key.
  await authorizeKeyAction(caller, "kms:UpdateAlias", ctx, alias.key);
  await authorizeKeyAction(caller, "kms:UpdateAlias", ctx, target);
  assertNotInState(ctx, target, ["PendingDeletion"]);
  const current = alias.key;
  if (keyType(current) !== keyType(target) || current.keyUsage !== target.keyUsage) {
    throw new ValidationException(
      messages.aliasTargetType(ctx.keyArn(target.id), keyType(target), target.keyUsage, req.AliasName, keyType(current), current.keyUsage),
    );
  }
  await prisma.$transaction(async (tx) => {
    assertLockedKey(ctx, target, await lockKeyRow(tx, target.id), ["PendingDeletion"]);
    const others = await tx.alias.count({ where: { keyId: target.id, name: { not: req.AliasName } } });
    if (others >= MAX_ALIASES_PER_KEY) throw aliasesQuota(others);
    const moved = await tx.alias.updateMany({ where: { name: req.AliasName }, data: { keyId: target.id, updatedAt: now() } });
    if (moved.count !== 1) throw aliasNotFound(ctx, req.AliasName); // deleted meanwhile
  });
  return {};
}

const deleteSchema = z.object({ AliasName: aliasNameField });

export async function deleteAlias(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:DeleteAlias");
  const req = validateRequest(deleteSchema, input);
  const ctx = await kmsContext();
  const alias = await prisma.alias.findUnique({ where: { name: req.AliasName }, include: { key: true } });
  if (!alias || alias.key.deletedAt) throw aliasNotFound(ctx, req.AliasName);
  noteKey(ctx.keyArn(alias.keyId)); // the event names the alias's key, as CloudTrail's does
  await authorizeKeyAction(caller, "kms:DeleteAlias", ctx, alias.key);
  // AWS allows deleting an alias whatever the state of its key.
  const deleted = await prisma.alias.deleteMany({ where: { name: req.AliasName, keyId: alias.keyId, key: { deletedAt: null } } });
  if (deleted.count !== 1) throw aliasNotFound(ctx, req.AliasName);
  return {};
}

export interface AliasListEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId: string;
  CreationDate: Date;
  LastUpdatedDate: Date;
}

const listSchema = z.object({
  KeyId: keyIdField.optional(),
  // The model allows up to 1000; AWS documents 1-100 for ListAliases.
  Limit: intField(1, 100).optional(),
  Marker: str(1, 1024).optional(),
});

export async function listAliases(
  caller: Principal,
  input: unknown,
): Promise<{ Aliases: AliasListEntry[]; Truncated: boolean; NextMarker?: string }> {
  authorizeAccountAction(caller, "kms:ListAliases");
  const req = validateRequest(listSchema, input);
  const after = req.Marker !== undefined ? decodeListMarker("aliases", req.Marker, "string") : undefined;
  const limit = req.Limit ?? 50;
  const ctx = await kmsContext();
  // AWS: KeyId is a key ID or key ARN.
  const keyId = req.KeyId !== undefined ? (await resolveKey(ctx, req.KeyId, { allowAlias: false })).key.id : undefined;
  const rows = await prisma.alias.findMany({
    where: {
      key: { deletedAt: null },
      ...(keyId ? { keyId } : {}),
      ...(after !== undefined ? { name: { gt: after } } : {}),
    },
    orderBy: { name: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const last = page[page.length - 1];
  return {
    Aliases: page.map((a) => ({
      AliasName: a.name,
      AliasArn: ctx.aliasArn(a.name),
      TargetKeyId: a.keyId,
      CreationDate: a.createdAt,
      LastUpdatedDate: a.updatedAt,
    })),
    Truncated: truncated,
    ...(truncated && last ? { NextMarker: encodeListMarker("aliases", last.name) } : {}),
  };
}
