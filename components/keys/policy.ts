// Key policies as the AWS console writes them: the account root, the key
// administrators and the key users, with AWS's standard action lists.

export const ADMIN_ACTIONS = [
  "kms:Create*",
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
];

/** What key users may do, by key usage (and spec for symmetric keys). */
export function userActions(spec: string, usage: string): string[] {
  switch (usage) {
    case "ENCRYPT_DECRYPT":
      return spec === "SYMMETRIC_DEFAULT"
        ? ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        : ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:DescribeKey", "kms:GetPublicKey"];
    case "SIGN_VERIFY":
      return ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:Verify"];
    case "GENERATE_VERIFY_MAC":
      return ["kms:DescribeKey", "kms:GenerateMac", "kms:VerifyMac"];
    case "KEY_AGREEMENT":
      return ["kms:DescribeKey", "kms:GetPublicKey", "kms:DeriveSharedSecret"];
    default:
      return ["kms:DescribeKey"];
  }
}

export const userArn = (account: string, username: string) => `arn:aws:iam::${account}:user/${username}`;

export function generatePolicy(input: {
  account: string;
  spec: string;
  usage: string;
  administrators: string[];
  users: string[];
}): string {
  const { account, spec, usage, administrators, users } = input;
  const principal = (names: string[]) => ({ AWS: names.length === 1 ? userArn(account, names[0]!) : names.map((n) => userArn(account, n)) });
  const statements: object[] = [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (administrators.length) {
    statements.push({
      Sid: "Allow access for Key Administrators",
      Effect: "Allow",
      Principal: principal(administrators),
      Action: ADMIN_ACTIONS,
      Resource: "*",
    });
  }
  if (users.length) {
    statements.push({
      Sid: "Allow use of the key",
      Effect: "Allow",
      Principal: principal(users),
      Action: userActions(spec, usage),
      Resource: "*",
    });
    if (usage === "ENCRYPT_DECRYPT" && spec === "SYMMETRIC_DEFAULT") {
      statements.push({
        Sid: "Allow attachment of persistent resources",
        Effect: "Allow",
        Principal: principal(users),
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      });
    }
  }
  return JSON.stringify({ Id: "key-consolepolicy-3", Version: "2012-10-17", Statement: statements }, null, 2);
}
