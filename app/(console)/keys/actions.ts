"use server";

import { requireStepUpFor, SENSITIVE_KMS_OPERATIONS } from "@/lib/accounts/step-up";
import { runAction } from "@/lib/console/run";
import { aliasAvailability, listKeyPolicyPrincipals } from "@/lib/console/keys/queries";
import { invokeKmsWithApproval as invokeKms } from "@/lib/approvals/gate";
import { reviewKeyPolicy } from "@/lib/console/keys/policy-review";

// Thin doors to the key service: it validates and authorizes every call, and
// holds protected operations for approval (the error names the request).
const kms = (operation: string, input: object) =>
  runAction(async (caller) => {
    // Sensitive operations need a recent second factor (lib/auth/mfa/step-up.ts); the refusal is recorded.
    if (SENSITIVE_KMS_OPERATIONS.has(operation)) await requireStepUpFor(caller, operation, "kms.amazonaws.com", input);
    await invokeKms(operation, caller, input, { source: "console" });
    return true as const;
  });

export async function enableKeyAction(keyId: string) {
  return kms("EnableKey", { KeyId: keyId });
}

export async function disableKeyAction(keyId: string) {
  return kms("DisableKey", { KeyId: keyId });
}

export async function updateDescriptionAction(keyId: string, description: string) {
  return kms("UpdateKeyDescription", { KeyId: keyId, Description: description });
}

export async function createAliasAction(keyId: string, aliasName: string) {
  return kms("CreateAlias", { AliasName: aliasName, TargetKeyId: keyId });
}

export async function updateAliasAction(aliasName: string, targetKeyId: string) {
  return kms("UpdateAlias", { AliasName: aliasName, TargetKeyId: targetKeyId });
}

export async function deleteAliasAction(aliasName: string) {
  return kms("DeleteAlias", { AliasName: aliasName });
}

/** Renames a key's alias: AWS has no rename, so create the new name, then delete the old one. */
export async function renameAliasAction(keyId: string, from: string | null, to: string) {
  return runAction(async (caller) => {
    await invokeKms("CreateAlias", caller, { AliasName: to, TargetKeyId: keyId }, { source: "console" });
    if (from) await invokeKms("DeleteAlias", caller, { AliasName: from }, { source: "console" });
    return true as const;
  });
}

export async function tagKeyAction(keyId: string, tags: Array<{ TagKey: string; TagValue: string }>) {
  return kms("TagResource", { KeyId: keyId, Tags: tags });
}

export async function untagKeyAction(keyId: string, tagKeys: string[]) {
  return kms("UntagResource", { KeyId: keyId, TagKeys: tagKeys });
}

export async function scheduleDeletionAction(keyId: string, days: number) {
  return kms("ScheduleKeyDeletion", { KeyId: keyId, PendingWindowInDays: days });
}

export async function cancelDeletionAction(keyId: string) {
  return kms("CancelKeyDeletion", { KeyId: keyId });
}

export async function enableRotationAction(keyId: string, periodInDays: number) {
  return kms("EnableKeyRotation", { KeyId: keyId, RotationPeriodInDays: periodInDays });
}

export async function disableRotationAction(keyId: string) {
  return kms("DisableKeyRotation", { KeyId: keyId });
}

export async function rotateNowAction(keyId: string) {
  return kms("RotateKeyOnDemand", { KeyId: keyId });
}

export async function checkAliasAction(aliasName: string) {
  return runAction((caller) => aliasAvailability(caller, aliasName));
}

export async function createKeyAction(input: {
  KeySpec: string;
  KeyUsage: string;
  Description: string;
  Policy: string;
  Tags: Array<{ TagKey: string; TagValue: string }>;
  CustomKeyStoreId?: string;
  Origin?: string;
}) {
  return runAction(async (caller) => {
    const r = (await invokeKms("CreateKey", caller, input, { source: "console" })) as { KeyMetadata: { KeyId: string } };
    return { keyId: r.KeyMetadata.KeyId };
  });
}

/** The key's policy, through GetKeyPolicy (audited, authorized by the key policy). */
export async function getKeyPolicyAction(keyId: string) {
  return runAction(async (caller) => {
    const r = (await invokeKms("GetKeyPolicy", caller, { KeyId: keyId }, { source: "console" })) as { Policy: string };
    return { policy: r.Policy };
  });
}

/** PutKeyPolicy; the lockout safety check is bypassed only when the caller says so after being refused. */
export async function putKeyPolicyAction(keyId: string, policy: string, bypassLockoutCheck = false) {
  return kms("PutKeyPolicy", {
    KeyId: keyId,
    Policy: policy,
    ...(bypassLockoutCheck ? { BypassPolicyLockoutSafetyCheck: true } : {}),
  });
}

/** "Review changes": grammar, principals, lockout and unknown actions, without saving. */
export async function reviewKeyPolicyAction(keyId: string, policy: string) {
  return runAction((caller) => reviewKeyPolicy(caller, keyId, policy));
}

export async function listKeyPolicyPrincipalsAction(keyId: string) {
  return runAction((caller) => listKeyPolicyPrincipals(caller, keyId));
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const bytes = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

/** A wrapping public key (RSA-OAEP SHA-256) and import token for bring-your-own-key: the browser wraps, the server never sees plaintext. */
export async function getParametersForImportAction(keyId: string) {
  return runAction(async (caller) => {
    const r = (await invokeKms(
      "GetParametersForImport",
      caller,
      { KeyId: keyId, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_3072" },
      { source: "console" },
    )) as { PublicKey: Uint8Array; ImportToken: Uint8Array };
    return { publicKey: b64(r.PublicKey), importToken: b64(r.ImportToken) };
  });
}

/** ImportKeyMaterial with material the browser wrapped (base64); it does not expire. */
export async function importKeyMaterialAction(keyId: string, wrappedMaterial: string, importToken: string) {
  return kms("ImportKeyMaterial", {
    KeyId: keyId,
    EncryptedKeyMaterial: bytes(wrappedMaterial),
    ImportToken: bytes(importToken),
    ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
  });
}
