"use server";

import { runAction } from "@/lib/console/run";
import { aliasAvailability, listKeyPolicyPrincipals } from "@/lib/console/keys/queries";
import { invokeKms } from "@/lib/kms/invoke";
import { parsePolicy } from "@/lib/policy";

// Thin doors to the key service: it validates and authorizes every call.
const kms = (operation: string, input: object) =>
  runAction(async (caller) => {
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

/** Checks a policy against the grammar PutKeyPolicy applies (MalformedPolicyDocumentException with the exact problem). */
export async function validateKeyPolicyAction(policy: string) {
  return runAction(async () => {
    parsePolicy(policy, { kind: "resource" });
    return true as const;
  });
}

export async function listKeyPolicyPrincipalsAction(keyId: string) {
  return runAction((caller) => listKeyPolicyPrincipals(caller, keyId));
}
