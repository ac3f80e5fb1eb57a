import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { authorizeKms } from "../authorize";
import { kmsContext } from "../context";
import { keyMetadata, type KeyMetadata } from "../metadata";
import { resolveKey } from "../resolve";
import { grantTokensField, keyIdField, validateRequest } from "../validate";

const schema = z.object({ KeyId: keyIdField, GrantTokens: grantTokensField });

export async function describeKey(caller: Principal, input: unknown): Promise<{ KeyMetadata: KeyMetadata }> {
  authorizeKms(caller, "kms:DescribeKey");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId);
  return { KeyMetadata: keyMetadata(ctx, key) };
}
