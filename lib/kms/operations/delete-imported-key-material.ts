// DeleteImportedKeyMaterial: destroys the imported material of an EXTERNAL key
// (crypto-shredding: the only wrapped copy is deleted) and puts the key in
// PendingImport. Ciphertexts under it stay undecryptable until the same
// material is imported again.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { NotFoundException } from "@/lib/errors";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { assertExternal, removeImportedMaterial } from "../import/external-key";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { assertNotInState } from "../state";
import { keyIdField, str, validateRequest } from "../validate";

const schema = z.object({ KeyId: keyIdField, KeyMaterialId: str(64, 64).optional() });

export async function deleteImportedKeyMaterial(caller: Principal, input: unknown): Promise<{ KeyId: string; KeyMaterialId: string }> {
  assertCallerActive(caller, "kms:DeleteImportedKeyMaterial");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:DeleteImportedKeyMaterial", ctx, key);
  assertExternal(ctx, key, "DeleteImportedKeyMaterial");
  // Keyhold refuses it while the key is pending deletion: the material goes with the key then.
  assertNotInState(ctx, key, ["PendingDeletion"]);
  const materialId = keyMaterialId(key.id, key.currentVersion);
  if (req.KeyMaterialId && req.KeyMaterialId !== materialId) {
    throw new NotFoundException(`Key material ${req.KeyMaterialId} does not exist in ${ctx.keyArn(key.id)}.`);
  }
  // A key in PendingImport has nothing to delete; AWS answers success then too.
  const removed = await removeImportedMaterial(key.id, { keyState: { in: ["Enabled", "Disabled", "PendingImport"] } });
  if (!removed) assertNotInState(ctx, (await resolveKey(ctx, key.id, { allowAlias: false })).key, ["PendingDeletion"]);
  return { KeyId: ctx.keyArn(key.id), KeyMaterialId: materialId };
}
