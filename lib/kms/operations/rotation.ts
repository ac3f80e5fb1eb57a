// Key material rotation: EnableKeyRotation, DisableKeyRotation,
// GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations, and the
// automatic rotation the scheduler runs (rotateDueKeys).
//
// A rotation adds a KeyMaterial version and makes it current; older versions
// stay and keep decrypting (the symmetric blob names its version).
import { z } from "zod";
import { auditedServiceChange } from "@/lib/audit";
import { keyChanged } from "../key-notifications";
import type { Principal } from "@/lib/auth/principal";
import type { KeySpec } from "@/lib/crypto";
import { prisma, type KmsKey, type Prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/status";
import { KmsError, LimitExceededException, UnsupportedOperationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { DAY_MS, now } from "../clock";
import { kmsContext, type KmsContext } from "../context";
import { listImportedRotations, rotateToPendingMaterial } from "../import/imported-rotations";
import { newWrappedMaterial } from "../material";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { assertEnabled } from "../state";
import { enumField, intField, keyIdField, str, validateRequest } from "../validate";
import { decodeListMarker, encodeListMarker } from "./tags";
import { messages } from "@/lib/errors/messages";

export const DEFAULT_ROTATION_PERIOD_IN_DAYS = 365;
export const MAX_ON_DEMAND_ROTATIONS = 25;
/** AWS refuses an on-demand rotation when an automatic one is due this soon. */
const AUTOMATIC_ROTATION_GUARD_MS = 20 * 60 * 1000;
/** Attempts to add a version when concurrent rotations of the same key keep winning. */
const MAX_ATTEMPTS = 10;

export type RotationType = "AUTOMATIC" | "ON_DEMAND";

/**
 * Rotation exists only for symmetric encryption keys with material KMS
 * generated (as AWS); on-demand rotation also for imported material.
 */
function assertRotatable(ctx: KmsContext, key: KmsKey, what: string, imported = false): void {
  if (key.keySpec !== "SYMMETRIC_DEFAULT") {
    throw new UnsupportedOperationException(
      messages.rotationSymmetricOnly(ctx.keyArn(key.id), key.keySpec, what),
    );
  }
  if (key.origin === "AWS_CLOUDHSM") {
    throw new UnsupportedOperationException(messages.rotationCustomKeyStore(ctx.keyArn(key.id), what));
  }
  if (key.origin !== "AWS_KMS" && !(imported && key.origin === "EXTERNAL")) {
    throw new UnsupportedOperationException(
      messages.rotationImported(ctx.keyArn(key.id), what),
    );
  }
}

/**
 * Adds material version currentVersion + 1 and makes it current, provided the
 * key row still has the version it was read with and matches `where`. The
 * conditional update locks the row, so of concurrent rotations exactly one
 * wins per version; the others get false and may re-read and retry.
 */
async function addMaterialVersion(
  key: KmsKey,
  rotationType: RotationType,
  at: Date,
  where: Prisma.KmsKeyWhereInput,
  data: Prisma.KmsKeyUpdateManyMutationInput,
): Promise<boolean> {
  const version = key.currentVersion + 1;
  // Crypto outside the transaction; the AAD binds this exact version.
  const material = await newWrappedMaterial(key.id, version, key.keySpec as KeySpec);
  try {
    return await prisma.$transaction(async (tx) => {
      const moved = await tx.kmsKey.updateMany({
        where: { ...where, id: key.id, deletedAt: null, currentVersion: key.currentVersion },
        data: { ...data, currentVersion: version },
      });
      if (moved.count !== 1) return false;
      await tx.keyMaterial.create({
        data: { keyId: key.id, version, wrapped: material.wrapped, wrappedBy: material.wrappedBy, rotationType, createdAt: at },
      });
      return true;
    });
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

const enableSchema = z.object({ KeyId: keyIdField, RotationPeriodInDays: intField(90, 2560).optional() });

export async function enableKeyRotation(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:EnableKeyRotation");
  const req = validateRequest(enableSchema, input);
  const ctx = await kmsContext();
  // AWS: key ID or key ARN only.
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:EnableKeyRotation", ctx, key, {
    values: { "kms:RotationPeriodInDays": req.RotationPeriodInDays ?? key.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_IN_DAYS },
  });
  // State before spec, as AWS: a disabled RSA key is DisabledException.
  assertEnabled(ctx, key); // Disabled → DisabledException; PendingDeletion → KMSInvalidStateException
  assertRotatable(ctx, key, "automatic key rotation");
  const at = now();
  let period: number;
  let next: Date;
  if (key.rotationEnabled && key.rotationPeriodInDays && key.nextRotationDate) {
    // Already enabled: a new period moves the schedule from the same starting point.
    period = req.RotationPeriodInDays ?? key.rotationPeriodInDays;
    next = new Date(key.nextRotationDate.getTime() + (period - key.rotationPeriodInDays) * DAY_MS);
  } else {
    period = req.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_IN_DAYS;
    next = new Date(at.getTime() + period * DAY_MS);
  }
  const changed = await prisma.kmsKey.updateMany({
    where: { id: key.id, deletedAt: null, keyState: "Enabled" },
    data: { rotationEnabled: true, rotationPeriodInDays: period, nextRotationDate: next },
  });
  if (changed.count !== 1) assertEnabled(ctx, (await resolveKey(ctx, key.id, { allowAlias: false })).key);
  return {};
}

const keyOnlySchema = z.object({ KeyId: keyIdField });

export async function disableKeyRotation(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:DisableKeyRotation");
  const req = validateRequest(keyOnlySchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:DisableKeyRotation", ctx, key);
  assertEnabled(ctx, key);
  assertRotatable(ctx, key, "automatic key rotation");
  const changed = await prisma.kmsKey.updateMany({
    where: { id: key.id, deletedAt: null, keyState: "Enabled" },
    data: { rotationEnabled: false, rotationPeriodInDays: null, nextRotationDate: null },
  });
  if (changed.count !== 1) assertEnabled(ctx, (await resolveKey(ctx, key.id, { allowAlias: false })).key);
  return {};
}

export async function getKeyRotationStatus(
  caller: Principal,
  input: unknown,
): Promise<{ KeyRotationEnabled: boolean; KeyId: string; RotationPeriodInDays?: number; NextRotationDate?: Date }> {
  assertCallerActive(caller, "kms:GetKeyRotationStatus");
  const req = validateRequest(keyOnlySchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:GetKeyRotationStatus", ctx, key);
  if (key.keySpec !== "SYMMETRIC_DEFAULT") assertRotatable(ctx, key, "automatic key rotation");
  // AWS: while pending deletion the status reads false (and returns to true on
  // cancellation); imported material never rotates automatically.
  const enabled = key.rotationEnabled && key.keyState !== "PendingDeletion" && key.origin === "AWS_KMS";
  // On-demand rotations complete within the request, so OnDemandRotationStartDate never appears.
  return {
    KeyRotationEnabled: enabled,
    KeyId: ctx.keyArn(key.id),
    ...(enabled && key.rotationPeriodInDays ? { RotationPeriodInDays: key.rotationPeriodInDays } : {}),
    ...(enabled && key.nextRotationDate ? { NextRotationDate: key.nextRotationDate } : {}),
  };
}

export async function rotateKeyOnDemand(caller: Principal, input: unknown): Promise<{ KeyId: string }> {
  assertCallerActive(caller, "kms:RotateKeyOnDemand");
  const req = validateRequest(keyOnlySchema, input);
  const ctx = await kmsContext();
  let { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:RotateKeyOnDemand", ctx, key);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // AWS: the key state is judged before the key spec (a disabled RSA key is DisabledException).
    assertEnabled(ctx, key);
    assertRotatable(ctx, key, "on-demand key rotation", true);
    if (key.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
      throw new LimitExceededException(
        messages.onDemandRotationsQuota(ctx.keyArn(key.id), MAX_ON_DEMAND_ROTATIONS),
      );
    }
    const at = now();
    if (key.rotationEnabled && key.nextRotationDate && key.nextRotationDate.getTime() - at.getTime() < AUTOMATIC_ROTATION_GUARD_MS) {
      throw new KmsError(
        "ConflictException",
        `An automatic rotation of ${ctx.keyArn(key.id)} is in progress or scheduled within the next 20 minutes.`,
      );
    }
    // Imported keys rotate to the material imported with NEW_KEY_MATERIAL; others get new
    // material. On-demand rotations leave the automatic schedule unchanged (as AWS).
    const rotated =
      key.origin === "EXTERNAL"
        ? await rotateToPendingMaterial(ctx, key, at, MAX_ON_DEMAND_ROTATIONS)
        : await addMaterialVersion(
            key,
            "ON_DEMAND",
            at,
            { keyState: "Enabled", onDemandRotations: { lt: MAX_ON_DEMAND_ROTATIONS } },
            { onDemandRotations: { increment: 1 } },
          );
    // AWS's RotateKeyOnDemand response carries the key ARN.
    if (rotated) return { KeyId: ctx.keyArn(key.id) };
    ({ key } = await resolveKey(ctx, key.id, { allowAlias: false }));
  }
  throw new KmsError("ConflictException", messages.rotatedConcurrently(ctx.keyArn(key.id)));
}

export interface RotationsListEntry {
  KeyId: string;
  KeyMaterialId: string;
  KeyMaterialDescription?: string;
  ImportState?: "IMPORTED" | "PENDING_IMPORT";
  KeyMaterialState: "CURRENT" | "NON_CURRENT" | "PENDING_ROTATION";
  ExpirationModel?: string;
  ValidTo?: Date;
  RotationDate?: Date;
  RotationType?: RotationType;
}

const listSchema = z.object({
  KeyId: keyIdField,
  IncludeKeyMaterial: enumField(["ALL_KEY_MATERIAL", "ROTATIONS_ONLY"] as const).optional(),
  Limit: intField(1, 1000).optional(),
  Marker: str(1, 1024).optional(),
});

export async function listKeyRotations(
  caller: Principal,
  input: unknown,
): Promise<{ Rotations: RotationsListEntry[]; Truncated: boolean; NextMarker?: string }> {
  assertCallerActive(caller, "kms:ListKeyRotations");
  const req = validateRequest(listSchema, input);
  const after = req.Marker !== undefined ? decodeListMarker("rotations", req.Marker, "number") : undefined;
  const limit = req.Limit ?? 100;
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:ListKeyRotations", ctx, key);
  if (key.keySpec !== "SYMMETRIC_DEFAULT") assertRotatable(ctx, key, "key rotation");
  if (key.origin === "EXTERNAL") {
    const all = req.IncludeKeyMaterial === "ALL_KEY_MATERIAL";
    const { entries, truncated, lastVersion } = await listImportedRotations(ctx, key, { all, after: after ?? 0, limit });
    return {
      Rotations: entries,
      Truncated: truncated,
      ...(truncated && lastVersion !== undefined ? { NextMarker: encodeListMarker("rotations", lastVersion) } : {}),
    };
  }
  // ROTATIONS_ONLY (the default) leaves out the first material.
  const from = Math.max(req.IncludeKeyMaterial === "ALL_KEY_MATERIAL" ? 0 : 1, after ?? 0);
  const rows = await prisma.keyMaterial.findMany({
    where: { keyId: key.id, version: { gt: from } },
    orderBy: { version: "asc" },
    take: limit + 1,
    select: { version: true, rotationType: true, createdAt: true },
  });
  const page = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const last = page[page.length - 1];
  return {
    Rotations: page.map((m) => ({
      KeyId: ctx.keyArn(key.id),
      KeyMaterialId: keyMaterialId(key.id, m.version),
      KeyMaterialState: m.version === key.currentVersion ? "CURRENT" : "NON_CURRENT",
      ...(m.version > 1 && m.rotationType
        ? { RotationDate: m.createdAt, RotationType: m.rotationType as RotationType }
        : {}),
    })),
    Truncated: truncated,
    ...(truncated && last ? { NextMarker: encodeListMarker("rotations", last.version) } : {}),
  };
}

const ROTATE_BATCH = 100;
const ROTATE_MAX_BATCHES = 50;

/**
 * Automatic rotation: every Enabled symmetric key with rotation enabled whose
 * NextRotationDate has passed gets a new AUTOMATIC version, and its next date
 * moves one period on (from now, if the key missed whole periods while
 * disabled, as AWS does). Conditional on the schedule being unchanged, so
 * several instances may run it at once. Returns how many keys were rotated.
 */
export async function rotateDueKeys(): Promise<number> {
  let rotated = 0;
  const skip: string[] = [];
  for (let batch = 0; batch < ROTATE_MAX_BATCHES; batch++) {
    const due = await prisma.kmsKey.findMany({
      where: {
        rotationEnabled: true,
        nextRotationDate: { lte: now() },
        keyState: "Enabled",
        deletedAt: null,
        keySpec: "SYMMETRIC_DEFAULT",
        origin: "AWS_KMS",
        ...(skip.length ? { id: { notIn: skip } } : {}),
      },
      orderBy: [{ nextRotationDate: "asc" }, { id: "asc" }],
      take: ROTATE_BATCH,
    });
    for (const key of due) {
      try {
        if (await rotateIfDue(key)) rotated++;
        else skip.push(key.id);
      } catch (e) {
        skip.push(key.id);
        logger.error({ keyId: key.id, err: (e as Error).name }, "automatic key rotation failed");
      }
    }
    if (due.length < ROTATE_BATCH) break;
  }
  return rotated;
}

async function rotateIfDue(first: KmsKey): Promise<boolean> {
  let key: KmsKey | null = first;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && key; attempt++) {
    const at = now();
    const scheduled = key.nextRotationDate;
    const period = key.rotationPeriodInDays;
    if (!key.rotationEnabled || !scheduled || !period || scheduled > at || key.keyState !== "Enabled" || key.deletedAt) {
      return false; // no longer due (another instance rotated it, or it was disabled)
    }
    const afterPeriod = scheduled.getTime() + period * DAY_MS;
    const next = new Date(afterPeriod > at.getTime() ? afterPeriod : at.getTime() + period * DAY_MS);
    // The new material and its event commit together; if the event cannot
    // be written the key is not rotated now (the scheduler retries).
    const current = key;
    const done = await auditedServiceChange("RotateKey", key.id, { rotationType: "AUTOMATIC" }, () =>
      addMaterialVersion(current, "AUTOMATIC", at, { keyState: "Enabled", rotationEnabled: true, nextRotationDate: scheduled }, { nextRotationDate: next }),
    );
    if (done) {
      const keyId = key.id;
      await keyChanged([keyId]);
      logger.info({ event: "key-rotated", keyId: key.id, rotationType: "AUTOMATIC" }, "key material rotated");
      return true;
    }
    // Lost a race (e.g. a concurrent on-demand rotation moved the version): re-read and retry.
    key = await prisma.kmsKey.findUnique({ where: { id: key.id } });
  }
  return false;
}
