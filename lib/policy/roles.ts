// The built-in console roles as identity policies: the role model and key
// policies are one mechanism. Separation of duties: no built-in role except
// Administrator both manages and uses keys.
import type { Role } from "@/lib/db/client";
import { parsePolicyObject, type PolicyDocument } from "./document";
import type { IdentityPolicies } from "./evaluate";

const READ = [
  "kms:DescribeKey",
  "kms:GetKeyLastUsage",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:GetPublicKey",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListKeys",
  "kms:ListResourceTags",
  "kms:ListRetirableGrants",
];

export const ROLE_POLICIES: Record<Role, object> = {
  ADMINISTRATOR: {
    Version: "2012-10-17",
    Statement: [{ Sid: "FullAccess", Effect: "Allow", Action: ["kms:*", "keyhold:*"], Resource: "*" }],
  },
  KEY_ADMINISTRATOR: {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ManageKeysNotUse",
        Effect: "Allow",
        Action: [
          // Create* without CreateGrant: a grant would let a key administrator use keys.
          "kms:CreateKey",
          "kms:CreateAlias",
          "kms:Describe*",
          "kms:Enable*",
          "kms:List*",
          "kms:Put*",
          "kms:Update*",
          "kms:Revoke*",
          "kms:Disable*",
          "kms:Get*",
          "kms:Delete*",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion",
          "kms:RotateKeyOnDemand",
          "kms:ImportKeyMaterial",
        ],
        Resource: "*",
      },
      {
        // Separation of duties: HSM key stores (their token PIN, connecting them) are
        // the administrator's; a key administrator may only see them and create keys in them.
        Sid: "NoCustomKeyStoreManagement",
        Effect: "Deny",
        Action: [
          "kms:CreateCustomKeyStore",
          "kms:UpdateCustomKeyStore",
          "kms:DeleteCustomKeyStore",
          "kms:ConnectCustomKeyStore",
          "kms:DisconnectCustomKeyStore",
        ],
        Resource: "*",
      },
    ],
  },
  KEY_USER: {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "UseKeys",
        Effect: "Allow",
        Action: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:GenerateRandom",
          "kms:Sign",
          "kms:Verify",
          "kms:GenerateMac",
          "kms:VerifyMac",
          "kms:DeriveSharedSecret",
        ],
        Resource: "*",
      },
      { Sid: "ReadKeyMetadata", Effect: "Allow", Action: READ, Resource: "*" },
      {
        Sid: "DelegateUseWithGrants",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:RevokeGrant"],
        Resource: "*",
      },
    ],
  },
  AUDITOR: {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadKeyMetadata", Effect: "Allow", Action: READ, Resource: "*" },
      { Sid: "ReadAudit", Effect: "Allow", Action: ["keyhold:Describe*", "keyhold:List*", "keyhold:Get*"], Resource: "*" },
    ],
  },
};

export const ROLE_POLICY_NAMES: Record<Role, string> = {
  ADMINISTRATOR: "KeyholdAdministrator",
  KEY_ADMINISTRATOR: "KeyholdKeyAdministrator",
  KEY_USER: "KeyholdKeyUser",
  AUDITOR: "KeyholdAuditor",
};

const parsed = new Map<Role, PolicyDocument>();

export function rolePolicy(role: Role): PolicyDocument {
  let doc = parsed.get(role);
  if (!doc) {
    doc = parsePolicyObject(ROLE_POLICIES[role], { kind: "identity" });
    parsed.set(role, doc);
  }
  return doc;
}

/** The identity policies of a caller: the account root has no identity-policy limit. */
export function identityPoliciesFor(caller: { kind: string; role: Role | null }): IdentityPolicies {
  if (caller.kind === "operator") return "unrestricted";
  return caller.role ? [{ name: ROLE_POLICY_NAMES[caller.role], document: rolePolicy(caller.role) }] : [];
}
