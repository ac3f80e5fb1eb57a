import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { forgetMaterial } from "../material";
import { resolveKey } from "../resolve";
import { assertNotInState } from "../state";
import { keyIdField, validateRequest } from "../validate";

const schema = z.object({ KeyId: keyIdField });

async function setEnabled(caller: Principal, input: unknown, enabled: boolean): Promise<Record<string, never>> {
  assertCallerActive(caller, enabled ? "kms:EnableKey" : "kms:DisableKey");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  // AWS: EnableKey/DisableKey take a key ID or key ARN, not an alias.
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, enabled ? "kms:EnableKey" : "kms:DisableKey", ctx, key);
  assertNotInState(ctx, key, ["PendingDeletion", "PendingImport"]);
  // Conditional update: a concurrent ScheduleKeyDeletion is not overwritten.
  await prisma.kmsKey.updateMany({
    where: { id: key.id, keyState: { in: ["Enabled", "Disabled"] } },
    data: { keyState: enabled ? "Enabled" : "Disabled" },
  });
  if (!enabled) forgetMaterial(key.id);
  return {};
}

export const enableKey = (caller: Principal, input: unknown) => setEnabled(caller, input, true);
export const disableKey = (caller: Principal, input: unknown) => setEnabled(caller, input, false);
