// Who may call which KMS operation, by console role. The policy issue turns
// these roles into identity policies evaluated with key policies; operations
// already name their `kms:` action, so only this module changes then.
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/db/client";
import { authorize } from "@/lib/access/authorize";

/** Metadata reads: everyone with a role. */
const READ = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] as const satisfies readonly Role[];
/** Key lifecycle and configuration: never cryptographic use (separation of duties). */
const MANAGE = ["ADMINISTRATOR", "KEY_ADMINISTRATOR"] as const satisfies readonly Role[];
/** Cryptographic use. */
const USE = ["ADMINISTRATOR", "KEY_USER"] as const satisfies readonly Role[];

const ACTIONS: Record<string, readonly Role[]> = {
  "kms:DescribeKey": READ,
  "kms:ListKeys": READ,
  "kms:ListAliases": READ,
  "kms:ListResourceTags": READ,
  "kms:GetKeyRotationStatus": READ,
  "kms:ListKeyRotations": READ,
  "kms:GetPublicKey": [...READ],
  "kms:CreateKey": MANAGE,
  "kms:EnableKey": MANAGE,
  "kms:DisableKey": MANAGE,
  "kms:UpdateKeyDescription": MANAGE,
  "kms:CreateAlias": MANAGE,
  "kms:UpdateAlias": MANAGE,
  "kms:DeleteAlias": MANAGE,
  "kms:TagResource": MANAGE,
  "kms:UntagResource": MANAGE,
  "kms:ScheduleKeyDeletion": MANAGE,
  "kms:CancelKeyDeletion": MANAGE,
  "kms:EnableKeyRotation": MANAGE,
  "kms:DisableKeyRotation": MANAGE,
  "kms:RotateKeyOnDemand": MANAGE,
  "kms:Encrypt": USE,
  "kms:Decrypt": USE,
  "kms:ReEncryptFrom": USE,
  "kms:ReEncryptTo": USE,
  "kms:GenerateDataKey": USE,
  "kms:GenerateDataKeyWithoutPlaintext": USE,
  "kms:GenerateDataKeyPair": USE,
  "kms:GenerateDataKeyPairWithoutPlaintext": USE,
  "kms:GenerateRandom": USE,
  "kms:Sign": USE,
  "kms:Verify": USE,
  "kms:GenerateMac": USE,
  "kms:VerifyMac": USE,
  "kms:DeriveSharedSecret": USE,
};

export function authorizeKms(caller: Principal, action: string): void {
  const allowed = ACTIONS[action];
  if (!allowed) throw new Error(`no authorization rule for ${action}`); // a programming error
  authorize(caller, action, allowed);
}
