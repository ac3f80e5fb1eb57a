// Rotation of imported key material (AWS, 2025): a symmetric EXTERNAL key's
// material imported with NEW_KEY_MATERIAL waits, pending rotation, as the
// next version; RotateKeyOnDemand makes it current. Older materials keep
// decrypting the ciphertexts that name them.
import { prisma, type KmsKey } from "@/lib/db/client";
import { KMSInvalidStateException } from "@/lib/errors";
import type { KmsContext } from "../context";
import { keyMaterialId } from "../metadata";
import { messages } from "@/lib/errors/messages";

/**
 * Makes the imported material pending rotation current. False when the key
 * row moved meanwhile (a concurrent rotation: the caller re-reads and retries).
 */
export async function rotateToPendingMaterial(ctx: KmsContext, key: KmsKey, at: Date, maxOnDemandRotations: number): Promise<boolean> {
  const none = () => new KMSInvalidStateException(messages.noMaterialPendingRotation(ctx.keyArn(key.id)));
  const pending = await prisma.importedMaterial.findFirst({ where: { keyId: key.id, version: { gt: key.currentVersion } }, orderBy: { version: "asc" } });
  // Staged and then deleted (ImportState PENDING_IMPORT) is not available either.
  if (!pending || !(await prisma.keyMaterial.count({ where: { keyId: key.id, version: pending.version } }))) throw none();
  return prisma.$transaction(async (tx) => {
    // The conditional update takes the key row's lock, so it serialises with DeleteImportedKeyMaterial and imports.
    const moved = await tx.kmsKey.updateMany({
      where: { id: key.id, deletedAt: null, keyState: "Enabled", currentVersion: key.currentVersion, onDemandRotations: { lt: maxOnDemandRotations } },
      data: {
        currentVersion: pending.version,
        onDemandRotations: { increment: 1 },
        importFingerprint: pending.fingerprint,
        expirationModel: pending.expirationModel,
        materialValidTo: pending.validTo,
      },
    });
    if (moved.count !== 1) return false;
    const marked = await tx.keyMaterial.updateMany({ where: { keyId: key.id, version: pending.version }, data: { rotationType: "ON_DEMAND" } });
    if (marked.count !== 1) throw none(); // deleted meanwhile: the transaction rolls back
    await tx.importedMaterial.update({ where: { keyId_version: { keyId: key.id, version: pending.version } }, data: { rotatedAt: at } });
    return true;
  });
}

export interface ImportedRotationsEntry {
  KeyId: string;
  KeyMaterialId: string;
  KeyMaterialDescription?: string;
  ImportState: "IMPORTED" | "PENDING_IMPORT";
  KeyMaterialState: "CURRENT" | "NON_CURRENT" | "PENDING_ROTATION";
  ExpirationModel?: string;
  ValidTo?: Date;
  RotationDate?: Date;
  RotationType?: "ON_DEMAND";
}

/**
 * ListKeyRotations of an EXTERNAL key: the materials made current by a
 * rotation, or with `all` (ALL_KEY_MATERIAL) also the first one and the one
 * pending rotation, in version order after `after`.
 */
export async function listImportedRotations(
  ctx: KmsContext,
  key: KmsKey,
  opts: { all: boolean; after: number; limit: number },
): Promise<{ entries: ImportedRotationsEntry[]; truncated: boolean; lastVersion?: number }> {
  const rows = await prisma.importedMaterial.findMany({
    where: { keyId: key.id, version: { gt: opts.after }, ...(opts.all ? {} : { rotatedAt: { not: null } }) },
    orderBy: { version: "asc" },
    take: opts.limit + 1,
  });
  const page = rows.slice(0, opts.limit);
  const present = new Set(
    (await prisma.keyMaterial.findMany({ where: { keyId: key.id, version: { in: page.map((r) => r.version) } }, select: { version: true } })).map((m) => m.version),
  );
  const state = (v: number) => (v === key.currentVersion ? "CURRENT" : v > key.currentVersion ? "PENDING_ROTATION" : "NON_CURRENT");
  return {
    entries: page.map((r) => ({
      KeyId: ctx.keyArn(key.id),
      KeyMaterialId: keyMaterialId(key.id, r.version),
      ...(r.description !== null ? { KeyMaterialDescription: r.description } : {}),
      ImportState: present.has(r.version) ? "IMPORTED" : "PENDING_IMPORT",
      KeyMaterialState: state(r.version),
      ...(r.expirationModel ? { ExpirationModel: r.expirationModel } : {}),
      ...(r.validTo ? { ValidTo: r.validTo } : {}),
      ...(r.rotatedAt ? { RotationDate: r.rotatedAt, RotationType: "ON_DEMAND" as const } : {}),
    })),
    truncated: rows.length > opts.limit,
    lastVersion: page[page.length - 1]?.version,
  };
}
