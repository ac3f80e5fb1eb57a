// Rules shared by the import operations and the expiry sweep: which keys take
// imported material, and how imported material is removed.
import type { KmsKey } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";
import { UnsupportedOperationException } from "@/lib/errors";
import type { KmsContext } from "../context";
import { forgetMaterial } from "../material";
import { lockKeyRow } from "../operations/deletion";

/** Key specs whose material can be imported. Asymmetric and ML-DSA imports are not implemented. */
export const IMPORTABLE_SPECS = ["SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"] as const;

export function isImportableSpec(spec: string): boolean {
  return (IMPORTABLE_SPECS as readonly string[]).includes(spec);
}

/** AWS: import operations are for keys created with Origin EXTERNAL only. */
export function assertExternal(ctx: KmsContext, key: KmsKey, operation: string): void {
  if (key.origin !== "EXTERNAL") {
    throw new UnsupportedOperationException(
      `${ctx.keyArn(key.id)} has Origin ${key.origin}; ${operation} is valid only for KMS keys with Origin EXTERNAL.`,
    );
  }
  if (!isImportableSpec(key.keySpec)) {
    throw new UnsupportedOperationException(
      `Importing ${key.keySpec} key material is not supported by Keyhold; only symmetric encryption and HMAC keys take imported material.`,
    );
  }
}

/**
 * Deletes a key's imported material (crypto-shredding: the only wrapped copy
 * goes) and puts the key in PendingImport; a key pending deletion stays so
 * (CancelKeyDeletion then returns it to PendingImport). `where` makes the
 * change conditional (e.g. still expired), so concurrent callers act once.
 * The fingerprint stays: it lets the same material be imported again.
 */
export async function removeImportedMaterial(keyId: string, where: { keyState?: { in: string[] }; materialValidTo?: { lte: Date } }): Promise<boolean> {
  const done = await prisma.$transaction(async (tx) => {
    // Serialises with ImportKeyMaterial and ScheduleKeyDeletion on the same key.
    await lockKeyRow(tx, keyId);
    const key = await tx.kmsKey.findFirst({ where: { id: keyId, deletedAt: null, origin: "EXTERNAL", ...where } });
    if (!key) return false;
    const changed = await tx.kmsKey.updateMany({
      where: { id: keyId, deletedAt: null, keyState: key.keyState, ...where },
      data: {
        keyState: key.keyState === "PendingDeletion" ? "PendingDeletion" : "PendingImport",
        expirationModel: null,
        materialValidTo: null,
      },
    });
    if (changed.count !== 1) return false;
    await tx.keyMaterial.deleteMany({ where: { keyId } });
    return true;
  });
  if (done) forgetMaterial(keyId);
  return done;
}
