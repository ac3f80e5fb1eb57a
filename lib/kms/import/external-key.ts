// Rules shared by the import operations and the expiry sweep: which keys take
// imported material, and how imported material is removed.
import { IMPORTABLE_ASYMMETRIC_SPECS } from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";
import { UnsupportedOperationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import type { KmsContext } from "../context";
import { forgetMaterial } from "../material";
import { lockKeyRow } from "../operations/deletion";

/** Key specs whose material can be imported (as AWS, less SM2; Ed25519 and ML-DSA imports are not implemented). */
export const IMPORTABLE_SPECS = [
  "SYMMETRIC_DEFAULT",
  "HMAC_224",
  "HMAC_256",
  "HMAC_384",
  "HMAC_512",
  ...IMPORTABLE_ASYMMETRIC_SPECS,
] as const;

export function isImportableSpec(spec: string): boolean {
  return (IMPORTABLE_SPECS as readonly string[]).includes(spec);
}

/** AWS: import operations are for keys created with Origin EXTERNAL only. */
export function assertExternal(ctx: KmsContext, key: KmsKey, _operation: string): void {
  if (key.origin !== "EXTERNAL") {
    throw new UnsupportedOperationException(messages.origin(ctx.keyArn(key.id), key.origin));
  }
  if (!isImportableSpec(key.keySpec)) {
    throw new UnsupportedOperationException(
      messages.importSpecUnsupported(key.keySpec),
    );
  }
}

/** The version a KeyMaterialId of this key names (see keyMaterialId), or undefined. */
export function materialVersionOf(keyId: string, materialId: string): number | undefined {
  if (!/^[0-9a-f]{64}$/.test(materialId) || materialId.slice(0, 32) !== keyId.replace(/-/g, "")) return undefined;
  const version = Number.parseInt(materialId.slice(32), 16);
  return version >= 1 && version <= 0x7fffffff ? version : undefined;
}

/**
 * Deletes one imported material of a key (crypto-shredding: its only wrapped
 * copy goes). Deleting the current material puts the key in PendingImport; a
 * key pending deletion stays so (CancelKeyDeletion then returns it to
 * PendingImport), unless `unlessPendingDeletion`. `dueBy` makes the change conditional on the material still
 * expiring by then, so concurrent sweeps act once. The fingerprint
 * (ImportedMaterial) stays: it lets the same material be imported again.
 */
export async function removeImportedMaterial(
  keyId: string,
  version: number,
  opts: { dueBy?: Date; unlessPendingDeletion?: boolean } = {},
): Promise<boolean> {
  const done = await prisma.$transaction(async (tx) => {
    // Serialises with ImportKeyMaterial, RotateKeyOnDemand and ScheduleKeyDeletion on the same key.
    const locked = await lockKeyRow(tx, keyId);
    if (!locked) return false;
    const key = await tx.kmsKey.findFirst({ where: { id: keyId, deletedAt: null, origin: "EXTERNAL" } });
    if (!key || (opts.unlessPendingDeletion && key.keyState === "PendingDeletion")) return false;
    const gone = await tx.importedMaterial.updateMany({
      where: { keyId, version, ...(opts.dueBy ? { validTo: { lte: opts.dueBy } } : {}) },
      data: { expirationModel: null, validTo: null },
    });
    if (gone.count !== 1) return false;
    const removed = await tx.keyMaterial.deleteMany({ where: { keyId, version } });
    if (version === key.currentVersion) {
      await tx.kmsKey.update({
        where: { id: keyId },
        data: {
          keyState: key.keyState === "PendingDeletion" ? "PendingDeletion" : "PendingImport",
          expirationModel: null,
          materialValidTo: null,
        },
      });
      return true;
    }
    return removed.count === 1;
  });
  if (done) forgetMaterial(keyId);
  return done;
}
