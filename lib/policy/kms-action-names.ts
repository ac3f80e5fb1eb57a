// Every action a KMS policy can name: the operations of the KMS API, with
// ReEncrypt split into kms:ReEncryptFrom and kms:ReEncryptTo as AWS does.
// (tests/policy/kms-action-names.test.ts checks it against the wire model.)
import type { PolicyDocument } from "./document";

const OPERATIONS = [
  "CancelKeyDeletion", "ConnectCustomKeyStore", "CreateAlias", "CreateCustomKeyStore", "CreateGrant", "CreateKey", "Decrypt",
  "DeleteAlias", "DeleteCustomKeyStore", "DeleteImportedKeyMaterial", "DeriveSharedSecret", "DescribeCustomKeyStores", "DescribeKey",
  "DisableKey", "DisableKeyRotation", "DisconnectCustomKeyStore", "EnableKey", "EnableKeyRotation", "Encrypt", "GenerateDataKey",
  "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "GenerateMac", "GenerateRandom",
  "GetKeyLastUsage", "GetKeyPolicy", "GetKeyRotationStatus", "GetParametersForImport", "GetPublicKey", "ImportKeyMaterial",
  "ListAliases", "ListGrants", "ListKeyPolicies", "ListKeyRotations", "ListKeys", "ListResourceTags", "ListRetirableGrants",
  "PutKeyPolicy", "ReEncryptFrom", "ReEncryptTo", "ReplicateKey", "RetireGrant", "RevokeGrant", "RotateKeyOnDemand",
  "ScheduleKeyDeletion", "Sign", "TagResource", "UntagResource", "UpdateAlias", "UpdateCustomKeyStore", "UpdateKeyDescription",
  "UpdatePrimaryRegion", "Verify", "VerifyMac",
];

export const KMS_ACTION_NAMES: readonly string[] = OPERATIONS.map((o) => `kms:${o}`);

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");

/**
 * The actions of a policy that name no KMS action: a typo such as "kms:Encryp"
 * (valid grammar, matches nothing, so the statement silently does nothing).
 * A wildcard counts as known when it matches at least one action.
 */
export function unknownKmsActions(doc: PolicyDocument): Array<{ action: string; suggestion?: string }> {
  const named = doc.statements.flatMap((s) => [...(s.action ?? []), ...(s.notAction ?? [])]);
  const unknown = new Set(named.filter((a) => a !== "*" && !KMS_ACTION_NAMES.some((k) => wildcard(a).test(k))));
  return [...unknown].map((action) => {
    const suggestion = closest(action);
    return suggestion ? { action, suggestion } : { action };
  });
}

/** The known action nearest to a typo (at most 3 edits away), if any. */
function closest(action: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of KMS_ACTION_NAMES) {
    const d = editDistance(action.toLowerCase(), name.toLowerCase());
    if (d <= 3 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
