import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { isUsageAllowed, type KeySpec } from "@/lib/crypto";
import { CUSTOMER_MASTER_KEY_SPEC, KEY_SPEC, KEY_USAGE_TYPE, ORIGIN_TYPE } from "../aws-enums";
import { prisma } from "@/lib/db/client";
import { UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { authorizeAccountAction, checkPolicyLockout } from "../authorize";
import { parsePolicy } from "@/lib/policy";
import { assertPolicyPrincipalsExist } from "../principals";
import { kmsContext } from "../context";
import { defaultKeyPolicy } from "../default-policy";
import { isImportableSpec } from "../import/external-key";
import { newWrappedMaterial } from "../material";
import { keyMetadata, type KeyMetadata } from "../metadata";
import { checkTags, tagListField } from "../tags";
import { boolField, enumField, str, validateRequest } from "../validate";
import { now } from "../clock";
import { createHsmKeyForCall, customKeyStoreFor } from "../custom-key-store/create-key";
import { noteKey } from "@/lib/audit/context";

const schema = z.object({
  Policy: str(1, 32768).optional(),
  Description: str(0, 8192).optional(),
  KeyUsage: enumField(KEY_USAGE_TYPE).optional(),
  CustomerMasterKeySpec: enumField(CUSTOMER_MASTER_KEY_SPEC).optional(),
  KeySpec: enumField(KEY_SPEC).optional(),
  Origin: enumField(ORIGIN_TYPE).optional(),
  CustomKeyStoreId: str(1, 64).optional(),
  BypassPolicyLockoutSafetyCheck: boolField,
  Tags: tagListField,
  MultiRegion: boolField,
  XksKeyId: str(1, 128).optional(),
});

export async function createKey(caller: Principal, input: unknown): Promise<{ KeyMetadata: KeyMetadata }> {
  authorizeAccountAction(caller, "kms:CreateKey");
  const req = validateRequest(schema, input);
  if (req.MultiRegion) {
    throw new UnsupportedOperationException(messages.multiRegionUnsupported);
  }
  if (req.XksKeyId || req.Origin === "EXTERNAL_KEY_STORE") {
    throw new UnsupportedOperationException(messages.externalKeyStoresUnsupported);
  }
  if (req.KeySpec && req.CustomerMasterKeySpec && req.KeySpec !== req.CustomerMasterKeySpec) {
    throw new ValidationException(messages.specConflict);
  }
  const spec = req.KeySpec ?? req.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
  if (spec === "SM2") throw new UnsupportedOperationException(messages.sm2Unsupported);
  const keySpec: KeySpec = spec;
  // AWS defaults KeyUsage only for symmetric encryption keys.
  if (req.KeyUsage === undefined && keySpec !== "SYMMETRIC_DEFAULT") throw new ValidationException(messages.keyUsageRequired);
  const keyUsage = req.KeyUsage ?? "ENCRYPT_DECRYPT";
  if (!isUsageAllowed(keySpec, keyUsage)) throw new ValidationException(messages.keyUsageIncompatible(keyUsage, keySpec));
  const origin = req.Origin ?? (req.CustomKeyStoreId ? "AWS_CLOUDHSM" : "AWS_KMS");
  const store = await customKeyStoreFor(origin, req.CustomKeyStoreId, keySpec, keyUsage);
  if (origin === "EXTERNAL" && !isImportableSpec(keySpec)) {
    throw new UnsupportedOperationException(
      messages.importSpecUnsupported(keySpec),
    );
  }
  const tags = req.Tags ?? [];
  checkTags(tags);
  const policy = req.Policy !== undefined ? parsePolicy(req.Policy, { kind: "resource" }) : undefined;

  const ctx = await kmsContext();
  const id = randomUUID();
  if (policy) await assertPolicyPrincipalsExist(ctx, policy);
  if (policy && !req.BypassPolicyLockoutSafetyCheck) {
    // Judged on the key about to be created: its spec, usage, origin and tags.
    await checkPolicyLockout(caller, ctx, { id, keySpec, keyUsage, origin }, { text: req.Policy!, document: policy }, tags);
  }
  // Material is generated and wrapped before the transaction: no crypto work
  // inside it, and a failure leaves nothing behind.
  const material = origin === "AWS_KMS" ? await newWrappedMaterial(id, 1, keySpec) : undefined;
  // A custom key store key is generated inside its HSM; no material row exists for it.
  const undoHsmKey = store ? await createHsmKeyForCall(store, id) : undefined;
  const key = await prisma.kmsKey.create({
    data: {
      id,
      description: req.Description ?? "",
      keySpec,
      keyUsage,
      keyState: origin === "EXTERNAL" ? "PendingImport" : "Enabled",
      origin,
      policy: req.Policy ?? defaultKeyPolicy(ctx.account),
      createdBy: caller.arn,
      createdAt: now(),
      materials: material ? { create: [{ version: 1, wrapped: material.wrapped, wrappedBy: material.wrappedBy }] } : undefined,
      tags: { create: tags.map((t) => ({ tagKey: t.TagKey, tagValue: t.TagValue })) },
      customKeyStoreId: store?.id ?? null,
    },
  }).catch(async (e: unknown) => {
    await undoHsmKey?.(); // outside a transaction only; inside one the rollback destroys it
    throw e;
  });
  noteKey(ctx.keyArn(key.id));
  return { KeyMetadata: keyMetadata(ctx, key, store) };
}
