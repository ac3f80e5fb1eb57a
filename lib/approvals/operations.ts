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
 * Console/IAM-side operations (lib/accounts) that may be protected (access-gate.ts):
 * CreateAccessKey for another user or for an administrator; UpdateAuditRetention
 * is a Settings change that makes audit events be purged sooner; UpdateUserStatus
 * disables or re-enables a user; UpdateUserCustomRole gives or takes a custom role
 * (held by the UpdateUserRole rule too when it has none of its own); UpdateMfaPolicy
 * says which roles must use MFA; CreateAdministrator is a CreateUser call whose
 * new user has the Administrator role.
 */
export const ACCESS_PROTECTABLE = [
  "UpdateUserRole",
  "UpdateUserCustomRole",
  "UpdateUserStatus",
  "ResetUserPassword",
  "ResetUserMfa",
  "UpdateMfaPolicy",
  "CreateAdministrator",
  "CreateAccessKey",
  "UpdateAuditRetention",
] as const;

/**
 * Root key custody changes run by the host's `keyhold` CLI, not by the server
 * (host-operations.ts): the Mth approval makes the request `approved`, and the
 * CLI runs once with `--approval <request-id>` and marks it executed.
 */
export const HOST_PROTECTABLE = ["MigrateRootKey", "RekeyRootKey"] as const;
export type HostOperation = (typeof HOST_PROTECTABLE)[number];

/** Changing the approval policy itself. */
export const POLICY_OPERATION = "UpdateApprovalRule";

export const PROTECTABLE_OPERATIONS: readonly string[] = [...KMS_PROTECTABLE, ...ACCESS_PROTECTABLE, ...HOST_PROTECTABLE, POLICY_OPERATION];

export function isProtectable(operation: string): boolean {
  return PROTECTABLE_OPERATIONS.includes(operation);
}

export function isKmsProtectable(operation: string): boolean {
  return (KMS_PROTECTABLE as readonly string[]).includes(operation);
}

export function isHostOperation(operation: string): operation is HostOperation {
  return (HOST_PROTECTABLE as readonly string[]).includes(operation);
}

/** Events of the approvals domain are Keyhold's own, not KMS's. */
export const APPROVALS_EVENT_SOURCE = "keyhold.amazonaws.com";

export const DEFAULT_TTL_SECONDS = 24 * 3600;
