import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { resolveKey } from "../resolve";
import { assertNotInState } from "../state";
import { keyIdField, str, validateRequest } from "../validate";

const schema = z.object({ KeyId: keyIdField, Description: str(0, 8192) });

export async function updateKeyDescription(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:UpdateKeyDescription");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:UpdateKeyDescription", ctx, key);
  assertNotInState(ctx, key, ["PendingDeletion"]);
  await prisma.kmsKey.update({ where: { id: key.id }, data: { description: req.Description } });
  return {};
}
