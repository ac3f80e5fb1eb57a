// The operations an approval rule may protect. A held request keeps its input
// in the database until it runs: the secret fields of an input (an import
// token and wrapped material, an HSM PIN, a chosen password) are kept sealed
// under the root key and shown nowhere (held-secrets.ts).
export const KMS_PROTECTABLE = [
  "ScheduleKeyDeletion",
  "PutKeyPolicy",
  "DisableKey",
  "DisableKeyRotation",
  "ImportKeyMaterial",
  "DeleteImportedKeyMaterial",
  "CreateCustomKeyStore",
  "UpdateCustomKeyStore",
  "DeleteCustomKeyStore",
  "ConnectCustomKeyStore",
  "DisconnectCustomKeyStore",
] as const;

/**
 * Console/IAM-side operations (lib/access) that may be protected (access-gate.ts):
 * CreateAccessKey only for a user with the Administrator role; UpdateAuditRetention
 * is a Settings change that makes audit events be purged sooner.
 */
export const ACCESS_PROTECTABLE = ["UpdateUserRole", "ResetUserPassword", "ResetUserMfa", "CreateAccessKey", "UpdateAuditRetention"] as const;

/** Changing the approval policy itself. */
export const POLICY_OPERATION = "UpdateApprovalRule";

export const PROTECTABLE_OPERATIONS: readonly string[] = [...KMS_PROTECTABLE, ...ACCESS_PROTECTABLE, POLICY_OPERATION];

export function isProtectable(operation: string): boolean {
  return PROTECTABLE_OPERATIONS.includes(operation);
}

export function isKmsProtectable(operation: string): boolean {
  return (KMS_PROTECTABLE as readonly string[]).includes(operation);
}

/** Events of the approvals domain are Keyhold's own, not KMS's. */
export const APPROVALS_EVENT_SOURCE = "keyhold.amazonaws.com";

export const DEFAULT_TTL_SECONDS = 24 * 3600;
