import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { keyMetadata, type KeyMetadata } from "../metadata";
import { resolveKey } from "../resolve";
import { grantTokensField, keyIdField, validateRequest } from "../validate";

const schema = z.object({ KeyId: keyIdField, GrantTokens: grantTokensField });

export async function describeKey(caller: Principal, input: unknown): Promise<{ KeyMetadata: KeyMetadata }> {
  assertCallerActive(caller, "kms:DescribeKey");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:DescribeKey", ctx, key, { grantTokens: req.GrantTokens });
  const store = key.customKeyStoreId ? await prisma.customKeyStore.findUnique({ where: { id: key.customKeyStoreId } }) : null;
  return { KeyMetadata: keyMetadata(ctx, key, store) };
}
