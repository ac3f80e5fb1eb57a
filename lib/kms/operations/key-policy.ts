// GetKeyPolicy, PutKeyPolicy, ListKeyPolicies. A key has one policy, "default".
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { LimitExceededException, NotFoundException } from "@/lib/errors";
import { parsePolicy } from "@/lib/policy";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction, checkPolicyLockout } from "../authorize";
import { kmsContext, type KmsContext } from "../context";
import { assertPolicyPrincipalsExist } from "../principals";
import { resolveKey } from "../resolve";
import { boolField, intField, keyIdField, str, validateRequest } from "../validate";

/** AWS quota: a key policy document is at most 32 KB. */
export const MAX_KEY_POLICY_BYTES = 32768;

const policyNameField = str(1, 128).regex(/^[\w]+$/, messages.pattern("[\\w]+"));

function checkPolicyName(ctx: KmsContext, keyId: string, name: string | undefined): void {
  if (name !== undefined && name !== "default") {
    throw new NotFoundException(messages.policyNotFound(name, ctx.keyArn(keyId)));
  }
}

const getSchema = z.object({ KeyId: keyIdField, PolicyName: policyNameField.optional() });

export async function getKeyPolicy(caller: Principal, input: unknown): Promise<{ Policy: string; PolicyName: string }> {
  assertCallerActive(caller, "kms:GetKeyPolicy");
  const req = validateRequest(getSchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:GetKeyPolicy", ctx, key);
  checkPolicyName(ctx, key.id, req.PolicyName);
  return { Policy: key.policy, PolicyName: "default" };
}

const putSchema = z.object({
  KeyId: keyIdField,
  PolicyName: policyNameField.optional(),
  Policy: str(1, 131072),
  BypassPolicyLockoutSafetyCheck: boolField,
});

export async function putKeyPolicy(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:PutKeyPolicy");
  const req = validateRequest(putSchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:PutKeyPolicy", ctx, key);
  checkPolicyName(ctx, key.id, req.PolicyName);
  if (Buffer.byteLength(req.Policy, "utf8") > MAX_KEY_POLICY_BYTES) {
    throw new LimitExceededException(messages.policyTooLarge(MAX_KEY_POLICY_BYTES));
  }
  const policy = parsePolicy(req.Policy, { kind: "resource" });
  await assertPolicyPrincipalsExist(ctx, policy);
  if (!req.BypassPolicyLockoutSafetyCheck) await checkPolicyLockout(caller, ctx, key, { text: req.Policy, document: policy });
  const changed = await prisma.kmsKey.updateMany({ where: { id: key.id, deletedAt: null }, data: { policy: req.Policy } });
  if (changed.count !== 1) throw new NotFoundException(messages.keyNotFound(ctx.keyArn(key.id)));
  return {};
}

const listSchema = z.object({ KeyId: keyIdField, Limit: intField(1, 1000).optional(), Marker: str(1, 320).optional() });

export async function listKeyPolicies(caller: Principal, input: unknown): Promise<{ PolicyNames: string[]; Truncated: false }> {
  assertCallerActive(caller, "kms:ListKeyPolicies");
  const req = validateRequest(listSchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:ListKeyPolicies", ctx, key);
  return { PolicyNames: ["default"], Truncated: false };
}
