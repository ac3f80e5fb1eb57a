// ScheduleKeyDeletion, CancelKeyDeletion and the sweeper that destroys keys
// whose waiting period has ended (crypto-shredding: the wrapped material rows
// are deleted, so every ciphertext under the key becomes unrecoverable).
import { z } from "zod";
import { auditedServiceChange } from "@/lib/audit";
import { keyChanged } from "../key-notifications";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type KmsKey, type Prisma } from "@/lib/db/client";
import { KMSInvalidStateException, NotFoundException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { DAY_MS, now } from "../clock";
import { kmsContext, type KmsContext } from "../context";
import { forgetMaterial } from "../material";
import { destroyHsmKey } from "../custom-key-store/hsm-key";
import { resolveKey } from "../resolve";
import { assertNotInState, type KeyState } from "../state";
import { intField, keyIdField, validateRequest } from "../validate";

export const DEFAULT_PENDING_WINDOW_IN_DAYS = 30;

/**
 * Locks a key row until the transaction ends and returns its state, or
 * undefined when the key no longer exists (swept). ScheduleKeyDeletion and the
 * sweeper change the state with conditional UPDATEs, which wait for this lock,
 * so a check made under it holds until the transaction commits.
 */
export async function lockKeyRow(tx: Prisma.TransactionClient, keyId: string): Promise<{ keyState: KeyState } | undefined> {
  const rows = await tx.$queryRaw<Array<{ keyState: string; deletedAt: Date | null }>>`
    SELECT "keyState", "deletedAt" FROM "KmsKey" WHERE id = ${keyId}::uuid FOR UPDATE`;
  const row = rows[0];
  return row && !row.deletedAt ? { keyState: row.keyState as KeyState } : undefined;
}

/** Inside a transaction holding lockKeyRow: the key must still exist and not be in `refused` states. */
export function assertLockedKey(
  ctx: KmsContext,
  key: KmsKey,
  locked: { keyState: KeyState } | undefined,
  refused: readonly KeyState[],
): void {
  if (!locked) throw new NotFoundException(messages.keyNotFound(ctx.keyArn(key.id)));
  assertNotInState(ctx, { ...key, keyState: locked.keyState }, refused);
}

const scheduleSchema = z.object({
  KeyId: keyIdField,
  // The model allows 1-365; AWS documents (and enforces) 7-30.
  PendingWindowInDays: intField(7, 30).optional(),
});

export async function scheduleKeyDeletion(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; DeletionDate: Date; KeyState: "PendingDeletion"; PendingWindowInDays: number }> {
  assertCallerActive(caller, "kms:ScheduleKeyDeletion");
  const req = validateRequest(scheduleSchema, input);
  const ctx = await kmsContext();
  // AWS: key ID or key ARN only.
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:ScheduleKeyDeletion", ctx, key, {
    values: { "kms:ScheduleKeyDeletionPendingWindowInDays": req.PendingWindowInDays ?? DEFAULT_PENDING_WINDOW_IN_DAYS },
  });
  assertNotInState(ctx, key, ["PendingDeletion"]);
  const days = req.PendingWindowInDays ?? DEFAULT_PENDING_WINDOW_IN_DAYS;
  const deletionDate = new Date(now().getTime() + days * DAY_MS);
  // Conditional: a concurrent ScheduleKeyDeletion (or the sweeper) wins once.
  const changed = await prisma.kmsKey.updateMany({
    where: { id: key.id, deletedAt: null, keyState: { in: ["Enabled", "Disabled", "PendingImport"] } },
    data: { keyState: "PendingDeletion", deletionDate, pendingWindowInDays: days },
  });
  if (changed.count !== 1) throw new KMSInvalidStateException(messages.keyState(ctx.keyArn(key.id), "PendingDeletion"));
  forgetMaterial(key.id);
  return { KeyId: ctx.keyArn(key.id), DeletionDate: deletionDate, KeyState: "PendingDeletion", PendingWindowInDays: days };
}

const cancelSchema = z.object({ KeyId: keyIdField });

export async function cancelKeyDeletion(caller: Principal, input: unknown): Promise<{ KeyId: string }> {
  assertCallerActive(caller, "kms:CancelKeyDeletion");
  const req = validateRequest(cancelSchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:CancelKeyDeletion", ctx, key);
  return cancelDeletionOf(ctx, key);
}

/** CancelKeyDeletion's change, once authorized (also the operator's break-glass path, lib/kms/break-glass.ts). */
export async function cancelDeletionOf(ctx: KmsContext, key: KmsKey): Promise<{ KeyId: string }> {
  const arn = ctx.keyArn(key.id);
  if (key.keyState !== "PendingDeletion") throw new KMSInvalidStateException(messages.notPendingDeletion(arn));
  // AWS: the key comes back Disabled. A key that never had material imported
  // has nothing to enable, so it returns to PendingImport.
  const hasMaterial = (await prisma.keyMaterial.count({ where: { keyId: key.id } })) > 0;
  const changed = await prisma.kmsKey.updateMany({
    where: { id: key.id, deletedAt: null, keyState: "PendingDeletion" },
    data: { keyState: hasMaterial ? "Disabled" : "PendingImport", deletionDate: null, pendingWindowInDays: null },
  });
  if (changed.count !== 1) {
    // The sweeper got there first (or another cancel did).
    const again = await prisma.kmsKey.findUnique({ where: { id: key.id }, select: { deletedAt: true } });
    if (!again || again.deletedAt) throw new NotFoundException(messages.keyNotFound(arn));
    throw new KMSInvalidStateException(messages.notPendingDeletion(arn));
  }
  return { KeyId: arn };
}

const SWEEP_BATCH = 100;
const SWEEP_MAX_BATCHES = 50;

/**
 * Destroys every key whose deletion date has passed: its material rows,
 * aliases and tags are deleted and the key is marked deleted (it answers
 * NotFoundException from then on). Each key is one transaction, conditional on
 * the key still being due, so several instances may sweep at once. Returns
 * how many keys this call destroyed.
 */
export async function sweepDueDeletions(): Promise<number> {
  let destroyed = 0;
  const skip: string[] = [];
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const at = now();
    const due = await prisma.kmsKey.findMany({
      where: { keyState: "PendingDeletion", deletionDate: { lte: at }, deletedAt: null, ...(skip.length ? { id: { notIn: skip } } : {}) },
      orderBy: [{ deletionDate: "asc" }, { id: "asc" }],
      take: SWEEP_BATCH,
      select: { id: true },
    });
    for (const { id } of due) {
      try {
        if (await destroyKey(id, at)) destroyed++;
      } catch (e) {
        skip.push(id);
        logger.error({ keyId: id, err: (e as Error).name }, "could not destroy a key due for deletion");
      }
    }
    if (due.length < SWEEP_BATCH) break;
  }
  return destroyed;
}

/** A key in a custom key store: its object in the HSM is destroyed too (when the store is connected, as AWS). */
async function destroyInCustomKeyStore(keyId: string): Promise<void> {
  const row = await prisma.kmsKey.findUnique({ where: { id: keyId }, select: { customKeyStoreId: true } });
  if (!row?.customKeyStoreId) return;
  try {
    await destroyHsmKey(row.customKeyStoreId, keyId);
  } catch (e) {
    logger.error({ keyId, customKeyStoreId: row.customKeyStoreId, err: (e as Error).name }, "could not destroy the key object in the HSM");
  }
}

async function destroyKey(keyId: string, at: Date): Promise<boolean> {
  const due = await prisma.kmsKey.count({ where: { id: keyId, keyState: "PendingDeletion", deletionDate: { lte: at }, deletedAt: null } });
  if (!due) return false;
  // The deletion and its event commit together: if the event cannot be
  // written the key is left as it is (the sweep retries it later).
  const done = await auditedServiceChange("DeleteKey", keyId, {}, () => prisma.$transaction(async (tx) => {
    const marked = await tx.kmsKey.updateMany({
      where: { id: keyId, keyState: "PendingDeletion", deletionDate: { lte: at }, deletedAt: null },
      data: { deletedAt: at, rotationEnabled: false, nextRotationDate: null, importFingerprint: null, materialValidTo: null },
    });
    if (marked.count !== 1) return false; // cancelled meanwhile, or another instance swept it
    await tx.keyMaterial.deleteMany({ where: { keyId } });
    await tx.importParameters.deleteMany({ where: { keyId } });
    await tx.importedMaterial.deleteMany({ where: { keyId } }); // the fingerprints go with the key
    await tx.alias.deleteMany({ where: { keyId } });
    await tx.keyTag.deleteMany({ where: { keyId } });
    return true;
  }));
  if (done) {
    forgetMaterial(keyId);
    await destroyInCustomKeyStore(keyId);
    await keyChanged([keyId]);
    logger.info({ event: "key-deleted", keyId }, "key deleted after its waiting period");
  } else {
    // Only a race between the check above and the transaction gets here: nothing was done or recorded.
    logger.warn({ keyId }, "the key was cancelled or swept elsewhere meanwhile");
  }
  return done;
}
