// Which material version an ImportKeyMaterial request imports, from the key's
// imported materials (ImportedMaterial rows): decided once before the
// material is unwrapped (planImport: the errors that need no material) and
// once it is known (materialVersion: matched by fingerprint).
import type { KmsKey, Prisma } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";
import { IncorrectKeyMaterialException, KMSInvalidStateException, NotFoundException, UnsupportedOperationException, ValidationException } from "@/lib/errors";
import type { KmsContext } from "../context";
import { keyMaterialId } from "../metadata";
import { materialVersionOf } from "./external-key";
import { macEquals } from "./import-key";
import { messages } from "@/lib/errors/messages";

export interface ImportedMaterialRow {
  version: number;
  fingerprint: Uint8Array;
}

type Db = Prisma.TransactionClient | typeof prisma;

export function importedMaterials(db: Db, keyId: string): Promise<ImportedMaterialRow[]> {
  return db.importedMaterial.findMany({ where: { keyId }, orderBy: { version: "asc" }, select: { version: true, fingerprint: true } });
}

export type ImportPlan = { type: "NEW_KEY_MATERIAL"; version: number } | { type: "EXISTING_KEY_MATERIAL"; version?: number };

export function planImport(
  ctx: KmsContext,
  key: KmsKey,
  req: { ImportType?: "NEW_KEY_MATERIAL" | "EXISTING_KEY_MATERIAL"; KeyMaterialId?: string },
  rows: ImportedMaterialRow[],
): ImportPlan {
  const arn = ctx.keyArn(key.id);
  // AWS: the default is NEW_KEY_MATERIAL until material was first imported, EXISTING_KEY_MATERIAL after.
  const type = req.ImportType ?? (rows.length ? "EXISTING_KEY_MATERIAL" : "NEW_KEY_MATERIAL");
  if (type === "NEW_KEY_MATERIAL") {
    if (req.KeyMaterialId) throw new ValidationException(messages.materialIdWithNewMaterial);
    if (!rows.length) return { type, version: key.currentVersion };
    if (key.keySpec !== "SYMMETRIC_DEFAULT") throw new UnsupportedOperationException(messages.singleMaterialOnly(arn, key.keySpec));
    if (key.keyState === "PendingImport") throw new KMSInvalidStateException(messages.keyState(arn, "PendingImport"));
    const next = Math.max(key.currentVersion, ...rows.map((r) => r.version)) + 1;
    const pending = rows.find((r) => r.version > key.currentVersion);
    if (pending) {
      throw new KMSInvalidStateException(messages.anotherMaterialPendingRotation(keyMaterialId(key.id, next), arn, keyMaterialId(key.id, pending.version)));
    }
    return { type, version: next };
  }
  if (!rows.length) throw new ValidationException(messages.noMaterialImportedYet(arn));
  if (req.KeyMaterialId === undefined) return { type };
  const version = materialVersionOf(key.id, req.KeyMaterialId);
  if (version === undefined || !rows.some((r) => r.version === version)) {
    throw new NotFoundException(messages.materialNotFound(req.KeyMaterialId, arn));
  }
  return { type, version };
}

/** The version the unwrapped material (its fingerprint) is imported as, or the error AWS gives. */
export function materialVersion(ctx: KmsContext, key: KmsKey, plan: ImportPlan, rows: ImportedMaterialRow[], fingerprint: Uint8Array): number {
  const arn = ctx.keyArn(key.id);
  const same = rows.find((r) => macEquals(r.fingerprint, fingerprint));
  if (plan.type === "NEW_KEY_MATERIAL") {
    if (same) {
      throw new ValidationException(
        messages.materialAlreadyImported(arn, keyMaterialId(key.id, same.version)),
      );
    }
    return plan.version;
  }
  if (!same || (plan.version !== undefined && same.version !== plan.version)) {
    throw new IncorrectKeyMaterialException(
      messages.notPreviousMaterial(arn, plan.version !== undefined ? keyMaterialId(key.id, plan.version) : undefined),
    );
  }
  return same.version;
}
