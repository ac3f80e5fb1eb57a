// DeleteImportedKeyMaterial: destroys one imported material of an EXTERNAL
// key (crypto-shredding: its only wrapped copy is deleted), the current one
// unless KeyMaterialId names another. Deleting the current material puts the
// key in PendingImport. Ciphertexts under a deleted material stay
// undecryptable until the same material is imported again.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { NotFoundException } from "@/lib/errors";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { assertExternal, materialVersionOf, removeImportedMaterial } from "../import/external-key";
import { messages } from "@/lib/errors/messages";
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
  const version = req.KeyMaterialId !== undefined ? materialVersionOf(key.id, req.KeyMaterialId) : key.currentVersion;
  const known = version !== undefined && (await prisma.importedMaterial.count({ where: { keyId: key.id, version } })) === 1;
  if (req.KeyMaterialId !== undefined && !known) throw new NotFoundException(messages.materialNotFound(req.KeyMaterialId, ctx.keyArn(key.id)));
  // A key that never had material, or whose material is already gone, has nothing to delete; AWS answers success then too.
  if (known && !(await removeImportedMaterial(key.id, version, { unlessPendingDeletion: true }))) {
    assertNotInState(ctx, (await resolveKey(ctx, key.id, { allowAlias: false })).key, ["PendingDeletion"]);
  }
  return { KeyId: ctx.keyArn(key.id), KeyMaterialId: keyMaterialId(key.id, version ?? key.currentVersion) };
}
