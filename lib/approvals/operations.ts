// The operations an approval rule may protect. Only operations whose input
// holds no secret are listed: a held request keeps its input in the database
// until it runs (ImportKeyMaterial, whose input carries wrapped material and
// an import token, is left out for that reason).
export const KMS_PROTECTABLE = ["ScheduleKeyDeletion", "PutKeyPolicy", "DisableKey", "DisableKeyRotation", "DeleteImportedKeyMaterial"] as const;

/** Console/IAM-side operations (lib/access) that may be protected. */
export const ACCESS_PROTECTABLE = ["UpdateUserRole"] as const;

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
