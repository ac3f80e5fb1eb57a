// The kms: actions a policy can name, grouped as the simulator offers them.

export const KMS_ACTION_GROUPS: Array<{ label: string; actions: string[] }> = [
  {
    label: "Cryptographic",
    actions: [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:GenerateDataKeyPair",
      "kms:GenerateDataKeyPairWithoutPlaintext",
      "kms:GenerateRandom",
      "kms:Sign",
      "kms:Verify",
      "kms:GenerateMac",
      "kms:VerifyMac",
      "kms:DeriveSharedSecret",
    ],
  },
  {
    label: "Management",
    actions: [
      "kms:CreateKey",
      "kms:EnableKey",
      "kms:DisableKey",
      "kms:UpdateKeyDescription",
      "kms:CreateAlias",
      "kms:UpdateAlias",
      "kms:DeleteAlias",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
      "kms:EnableKeyRotation",
      "kms:DisableKeyRotation",
      "kms:RotateKeyOnDemand",
      "kms:PutKeyPolicy",
      "kms:GetParametersForImport",
      "kms:ImportKeyMaterial",
      "kms:DeleteImportedKeyMaterial",
    ],
  },
  {
    label: "Grants",
    actions: ["kms:CreateGrant", "kms:ListGrants", "kms:ListRetirableGrants", "kms:RetireGrant", "kms:RevokeGrant"],
  },
  {
    label: "Read",
    actions: [
      "kms:DescribeKey",
      "kms:GetKeyLastUsage",
      "kms:GetPublicKey",
      "kms:GetKeyPolicy",
      "kms:ListKeyPolicies",
      "kms:GetKeyRotationStatus",
      "kms:ListKeyRotations",
      "kms:ListKeys",
      "kms:ListAliases",
      "kms:ListResourceTags",
    ],
  },
];

export const KMS_ACTIONS = KMS_ACTION_GROUPS.flatMap((g) => g.actions);
