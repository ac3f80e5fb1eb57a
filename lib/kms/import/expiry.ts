// The scheduler's import jobs: imported material whose ValidTo has passed is
// deleted (the key goes to PendingImport, as AWS), and wrapping keys of
// expired import parameters are purged.
import { auditedServiceChange } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { now } from "../clock";
import { keyChanged } from "../key-notifications";
import { keyMaterialId } from "../metadata";
import { removeImportedMaterial } from "./external-key";

const BATCH = 100;
const MAX_BATCHES = 50;

/** Deletes every expired imported material; returns how many materials were deleted in this call. */
export async function deleteExpiredKeyMaterial(): Promise<number> {
  let deleted = 0;
  const skip = new Set<string>();
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const at = now();
    // Each material expires on its own (AWS); the key goes to PendingImport only when its current one does.
    const due = (
      await prisma.importedMaterial.findMany({
        where: { validTo: { lte: at }, key: { deletedAt: null } },
        orderBy: [{ validTo: "asc" }, { keyId: "asc" }, { version: "asc" }],
        take: BATCH + skip.size,
        select: { keyId: true, version: true },
      })
    ).filter((m) => !skip.has(`${m.keyId}/${m.version}`));
    for (const { keyId, version } of due.slice(0, BATCH)) {
      try {
        // The material goes with its event (AWS's DeleteExpiredKeyMaterial) in
        // one transaction; if the event cannot be written, the next run retries.
        const request = { keyMaterialId: keyMaterialId(keyId, version) };
        if (await auditedServiceChange("DeleteExpiredKeyMaterial", keyId, request, () => removeImportedMaterial(keyId, version, { dueBy: at }))) {
          deleted++;
          await keyChanged([keyId]);
          logger.info({ event: "imported-material-expired", keyId, version }, "expired imported key material deleted");
        } else {
          skip.add(`${keyId}/${version}`); // re-imported with a new ValidTo meanwhile
        }
      } catch (e) {
        skip.add(`${keyId}/${version}`);
        logger.error({ keyId, version, err: (e as Error).name }, "could not delete expired imported key material");
      }
    }
    if (due.length < BATCH) break;
  }
  return deleted;
}

/** Purges import parameters (wrapped wrapping keys) past their validity; their tokens are refused as expired anyway. */
export async function purgeExpiredImportParameters(): Promise<number> {
  const { count } = await prisma.importParameters.deleteMany({ where: { validTo: { lte: now() } } });
  return count;
}
