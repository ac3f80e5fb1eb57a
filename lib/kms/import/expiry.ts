// The scheduler's import jobs: imported material whose ValidTo has passed is
// deleted (the key goes to PendingImport, as AWS), and wrapping keys of
// expired import parameters are purged.
import { auditedServiceChange } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { now } from "../clock";
import { keyChanged } from "../key-notifications";
import { removeImportedMaterial } from "./external-key";

const BATCH = 100;
const MAX_BATCHES = 50;

/** Deletes every expired imported material; returns how many keys lost theirs in this call. */
export async function deleteExpiredKeyMaterial(): Promise<number> {
  let deleted = 0;
  const skip: string[] = [];
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const at = now();
    const due = await prisma.kmsKey.findMany({
      where: { origin: "EXTERNAL", materialValidTo: { lte: at }, deletedAt: null, ...(skip.length ? { id: { notIn: skip } } : {}) },
      orderBy: [{ materialValidTo: "asc" }, { id: "asc" }],
      take: BATCH,
      select: { id: true },
    });
    for (const { id } of due) {
      try {
        // The material goes with its event (AWS's DeleteExpiredKeyMaterial) in
        // one transaction; if the event cannot be written, the next run retries.
        if (await auditedServiceChange("DeleteExpiredKeyMaterial", id, {}, () => removeImportedMaterial(id, { materialValidTo: { lte: at } }))) {
          deleted++;
          await keyChanged([id]);
          logger.info({ event: "imported-material-expired", keyId: id }, "expired imported key material deleted");
        } else {
          skip.push(id); // re-imported with a new ValidTo meanwhile
        }
      } catch (e) {
        skip.push(id);
        logger.error({ keyId: id, err: (e as Error).name }, "could not delete expired imported key material");
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
