// API access keys (SigV4 credentials) of users: at most two per user, the
// secret shown exactly once and kept only wrapped by the root key.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { operatorPrincipal, type Principal } from "@/lib/auth/principal";
import { onAccessKeyChange, runAccessKeyListeners } from "@/lib/auth/access-key-events";
import { afterCommit, outsideTransaction } from "@/lib/db/transaction";
import { accessKeyChangedEverywhere } from "@/lib/kms/key-notifications";
import { auditRowsContaining } from "@/lib/db/audit-records";
import { prisma } from "@/lib/db/client";
import { AccessDeniedException, LimitExceededException, NotFoundException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { audited, auditedOperation } from "@/lib/audit";
import { accountId } from "@/lib/settings/account";
import { authorize } from "@/lib/access/authorize";
import { validate } from "@/lib/access/validate";

export const MAX_ACCESS_KEYS_PER_USER = 2;
export const ACCESS_KEY_ID_PATTERN = /^AKIA[A-Z2-7]{16}$/;
export const SECRET_ACCESS_KEY_PATTERN = /^[A-Za-z0-9/+]{40}$/;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function generateAccessKeyId(): string {
  const bytes = randomBytes(16);
  return "AKIA" + Array.from(bytes, (b) => BASE32[b & 31]).join("");
}

export function generateSecretAccessKey(): string {
  return randomBytes(30).toString("base64"); // 40 characters, no padding
}

export const secretAad = (accessKeyId: string) => Buffer.from(`keyhold:access-key-secret:${accessKeyId}`);

export async function wrapSecret(accessKeyId: string, secret: string): Promise<Uint8Array<ArrayBuffer>> {
  const store = await rootKeyStore();
  return new Uint8Array(await store.wrap(Buffer.from(secret, "utf8"), secretAad(accessKeyId)));
}

export async function unwrapSecret(accessKeyId: string, wrapped: Uint8Array): Promise<string> {
  const store = await rootKeyStore();
  const plain = await store.unwrap(Buffer.from(wrapped), secretAad(accessKeyId));
  const secret = plain.toString("utf8");
  plain.fill(0);
  return secret;
}

export interface AccessKeySummary {
  AccessKeyId: string;
  UserName: string;
  Status: "Active" | "Inactive";
  CreateDate: string;
  LastUsedDate: string | null;
}

const everyRole = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] as const;

/** Administrators manage everyone's keys; other users with a role manage their own. */
async function targetUser(caller: Principal, action: string, username: string | undefined) {
  authorize(caller, action, everyRole);
  const name = username ?? caller.username;
  if (name !== caller.username && caller.role !== "ADMINISTRATOR") {
    throw new AccessDeniedException(`User: ${caller.arn} is not authorized to perform: ${action} on user ${name}`);
  }
  const user = await prisma.user.findUnique({ where: { username: name } });
  if (!user) throw new NotFoundException(`User ${name} does not exist`);
  return user;
}

async function ownedKey(caller: Principal, action: string, accessKeyId: string) {
  authorize(caller, action, everyRole);
  const key = await prisma.accessKey.findUnique({ where: { id: accessKeyId }, include: { user: true } });
  if (!key || (key.user.username !== caller.username && caller.role !== "ADMINISTRATOR")) {
    // Same answer for "absent" and "someone else's": IDs are not probed.
    throw new NotFoundException(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return key;
}

const summarize = (k: { id: string; status: string; createdAt: Date; lastUsedAt: Date | null }, username: string): AccessKeySummary => ({
  AccessKeyId: k.id,
  UserName: username,
  Status: k.status === "Active" ? "Active" : "Inactive",
  CreateDate: k.createdAt.toISOString(),
  LastUsedDate: k.lastUsedAt?.toISOString() ?? null,
});

const userSchema = z.object({ username: z.string().min(1).max(64).optional() });
const keySchema = z.object({ accessKeyId: z.string().regex(ACCESS_KEY_ID_PATTERN, "Invalid access key ID") });
const statusSchema = keySchema.extend({ status: z.enum(["Active", "Inactive"]) });

async function listAccessKeysUnaudited(caller: Principal, input: unknown = {}): Promise<AccessKeySummary[]> {
  const { username } = validate(userSchema, input);
  if (username === undefined && caller.role === "ADMINISTRATOR") {
    authorize(caller, "keyhold:ListAccessKeys", everyRole);
    const keys = await prisma.accessKey.findMany({ include: { user: true }, orderBy: { createdAt: "asc" } });
    return keys.map((k) => summarize(k, k.user.username));
  }
  const user = await targetUser(caller, "keyhold:ListAccessKeys", username);
  const keys = await prisma.accessKey.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
  return keys.map((k) => summarize(k, user.username));
}

async function createAccessKeyUnaudited(
  caller: Principal,
  input: unknown = {},
): Promise<AccessKeySummary & { SecretAccessKey: string }> {
  const { username } = validate(userSchema, input);
  const user = await targetUser(caller, "keyhold:CreateAccessKey", username);
  const id = generateAccessKeyId();
  const secret = generateSecretAccessKey();
  const wrapped = await wrapSecret(id, secret);
  const created = await prisma.$transaction(async (tx) => {
    // Counted inside the transaction with the user row locked: two
    // concurrent creates cannot both pass the quota.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${user.id}::uuid FOR UPDATE`;
    const count = await tx.accessKey.count({ where: { userId: user.id } });
    if (count >= MAX_ACCESS_KEYS_PER_USER) {
      throw new LimitExceededException(`Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS_PER_USER}`);
    }
    return tx.accessKey.create({ data: { id, userId: user.id, secretWrapped: wrapped, createdById: caller.kind === "user" ? (caller.userId ?? null) : null } });
  });
  accessKeyChanged(id); // open access-key lists refetch (lib/console/live-updates)
  logger.info({ event: "access-key-created", by: caller.arn, username: user.username, accessKeyId: id }, "access key created");
  return { ...summarize(created, user.username), SecretAccessKey: secret };
}

async function setAccessKeyStatusUnaudited(caller: Principal, input: unknown): Promise<AccessKeySummary> {
  const { accessKeyId, status } = validate(statusSchema, input);
  const key = await ownedKey(caller, "keyhold:UpdateAccessKey", accessKeyId);
  const updated = await prisma.accessKey.update({ where: { id: key.id }, data: { status } });
  accessKeyChanged(key.id);
  logger.info({ event: "access-key-status", by: caller.arn, accessKeyId, status }, "access key updated");
  return summarize(updated, key.user.username);
}

async function deleteAccessKeyUnaudited(caller: Principal, input: unknown): Promise<void> {
  const { accessKeyId } = validate(keySchema, input);
  const key = await ownedKey(caller, "keyhold:DeleteAccessKey", accessKeyId);
  await prisma.accessKey.delete({ where: { id: key.id } });
  accessKeyChanged(key.id);
  logger.info({ event: "access-key-deleted", by: caller.arn, accessKeyId }, "access key deleted");
}

/**
 * An access key or its user changed: credential caches (lib/api) drop it at
 * once in this process, again once the change has committed (no reader
 * re-caches the old row in between), and then in every other instance
 * (lib/kms/key-notifications). Open console pages hear of it too.
 */
export function accessKeyChanged(accessKeyId?: string): void {
  runAccessKeyListeners(accessKeyId);
  afterCommit(() => {
    runAccessKeyListeners(accessKeyId);
    void outsideTransaction(() => accessKeyChangedEverywhere(accessKeyId));
  });
}

/** Remembers that the bootstrap access key was created once (a tombstone once it is deleted). */
const bootstrapMarker = (accessKeyId: string) => `bootstrap-access-key:${accessKeyId}`;

/**
 * Start-up: make the first administrator own the access key given in
 * KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID / _SECRET_ACCESS_KEY (CI and local development).
 * Created only if it never existed, and recorded (CreateAccessKey by the account
 * root, via the CLI). An administrator's decision stands across restarts: a
 * deactivated key stays inactive, a deleted one is not recreated (a warning says so).
 */
export async function ensureBootstrapAccessKey(adminUser: string, accessKeyId: string, secret: string): Promise<"created" | "exists" | "deleted"> {
  const admin = await prisma.user.findUnique({ where: { username: adminUser } });
  if (!admin) throw new Error(`KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID: the administrator ${adminUser} does not exist`);
  const existing = await prisma.accessKey.findUnique({ where: { id: accessKeyId } });
  if (existing && existing.userId !== admin.id) {
    throw new Error(`KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID: ${accessKeyId} already belongs to another user`);
  }
  const marker = bootstrapMarker(accessKeyId);
  if (existing) {
    // Keys made before the marker existed get one, so a later deletion is remembered.
    await prisma.setting.upsert({ where: { key: marker }, create: { key: marker, value: "created" }, update: {} });
    return "exists";
  }
  const deleted =
    (await prisma.setting.findUnique({ where: { key: marker } })) !== null ||
    (await auditRowsContaining({ eventName: "DeleteAccessKey", errorCode: null }, `"${accessKeyId}"`)).length > 0;
  if (deleted) {
    logger.warn({ accessKeyId }, "the bootstrap access key was deleted by an administrator: not recreated (unset KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID or choose a new one)");
    return "deleted";
  }
  const secretWrapped = await wrapSecret(accessKeyId, secret);
  await audited(
    {
      eventName: "CreateAccessKey",
      eventSource: "iam.amazonaws.com",
      caller: operatorPrincipal(await accountId()),
      via: "cli",
      request: { userName: adminUser, accessKeyId, bootstrap: true },
    },
    () =>
      prisma.$transaction([
        prisma.accessKey.create({ data: { id: accessKeyId, userId: admin.id, secretWrapped } }),
        prisma.setting.create({ data: { key: marker, value: "created" } }),
      ]),
  );
  return "created";
}

// Every user and credential operation is audited (IAM-shaped events).
export const listAccessKeys = auditedOperation("ListAccessKeys", "iam.amazonaws.com", listAccessKeysUnaudited, { readOnly: true });
export const createAccessKey = auditedOperation("CreateAccessKey", "iam.amazonaws.com", createAccessKeyUnaudited);
export const setAccessKeyStatus = auditedOperation("UpdateAccessKey", "iam.amazonaws.com", setAccessKeyStatusUnaudited);
export const deleteAccessKey = auditedOperation("DeleteAccessKey", "iam.amazonaws.com", deleteAccessKeyUnaudited);

export { onAccessKeyChange };
