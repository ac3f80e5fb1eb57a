// Every error text Keyhold's key service answers, in one table, worded as AWS
// KMS words them (checked against recorded AWS responses and the API
// reference). Where AWS has a text, it is copied exactly; Keyhold-only
// refusals (unsupported features) say why. Exceptions AWS sends without a
// message use NO_MESSAGE. tests/compat/aws-messages.test.ts reads them back
// through the AWS SDK.

/** AWS sends InvalidCiphertextException (Decrypt/ReEncrypt), KMSInvalidSignatureException and KMSInvalidMacException with no message. */
export const NO_MESSAGE = "";

const AWS_ALIAS_DOCS = "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html";

const STATE_WORDS: Record<string, string> = {
  Disabled: "disabled",
  PendingDeletion: "pending deletion",
  PendingImport: "pending import",
  PendingReplicaDeletion: "pending replica deletion",
  Unavailable: "unavailable",
  Updating: "updating",
  Creating: "creating",
};

export const messages = {
  // --- Request validation (the API model's constraints, AWS's Coral wording) ---
  /** "1 validation error detected: …" / "N validation errors detected: …; …" */
  validationErrors: (problems: readonly string[]) =>
    `${problems.length} validation error${problems.length === 1 ? "" : "s"} detected: ${problems.join("; ")}`,
  /** One violation; `value` is already rendered (`'1025'`), or undefined for blobs (never echoed). */
  constraintViolation: (member: string, value: string | undefined, constraint: string) =>
    `Value ${value === undefined ? "" : `${value} `}at '${member}' failed to satisfy constraint: ${constraint}`,
  required: (member: string) => `${member} is required.`,
  lengthAtLeast: (n: number) => `Member must have length greater than or equal to ${n}`,
  lengthAtMost: (n: number) => `Member must have length less than or equal to ${n}`,
  valueAtLeast: (n: number) => `Member must have value greater than or equal to ${n}`,
  valueAtMost: (n: number) => `Member must have value less than or equal to ${n}`,
  enumValues: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(", ")}]`,
  pattern: (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`,
  notNull: "Member must not be null",
  unsafeText: (member: string) =>
    `1 validation error detected: Value at '${member}' contains a character that is not allowed (NUL or an unpaired surrogate).`,

  // --- The wire (JSON 1.1): a value of the wrong JSON type ---
  unexpectedType: (member: string, expected: string, got: string) => `Unexpected value type for '${member}': expected ${expected}, got ${got}`,
  notBase64: (member: string) => `'${member}' is not valid base64`,

  // --- Finding the key ---
  invalidKeyId: (sent: string) => `Invalid keyId '${sent}'`,
  keyNotFound: (keyArn: string) => `Key '${keyArn}' does not exist`,
  aliasNotFound: (aliasArn: string) => `Alias ${aliasArn} is not found.`,

  // --- Key state, usage, spec and origin (named by the key ARN) ---
  keyState: (keyArn: string, state: string) => `${keyArn} is ${STATE_WORDS[state] ?? state.toLowerCase()}.`,
  keyUsage: (keyArn: string, usage: string, operation: string) =>
    `${keyArn} key usage is ${usage} which is not valid for ${operation}.`,
  keySpecNotValid: (keyArn: string, spec: string, operation: string) =>
    `${keyArn} key spec is ${spec} which is not valid for ${operation}.`,
  origin: (keyArn: string, origin: string) => `${keyArn} origin is ${origin} which is not valid for this operation.`,
  incorrectKey: "The key ID in the request does not identify a CMK that can perform this operation.",
  algorithmIncompatible: (algorithm: string, keySpec: string) => `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`,
  rsaPlaintextTooLarge: (algorithm: string, keySpec: string, max: number) =>
    `Algorithm ${algorithm} and key spec ${keySpec} cannot encrypt data larger than ${max} bytes.`,
  rsaCiphertextLength: (keySpec: string, bytes: number) => `A ${keySpec} ciphertext is exactly ${bytes} bytes long.`,
  contextWithAsymmetricKey: (member: string) => `${member} is not supported with asymmetric KMS keys.`,
  keyAgreementAlgorithm: (algorithm: string, keySpec: string) => `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`,

  notPendingDeletion: (keyArn: string) => `${keyArn} is not pending deletion.`,
  invalidPeerPublicKey: (curve: string) =>
    `The PublicKey is not a valid DER-encoded SubjectPublicKeyInfo of a public key on the ${curve} curve.`,

  // --- Key policies ---
  policyNotFound: (name: string, keyArn: string) =>
    `No such policy exists: ${name} on key ${keyArn}. The only valid policy name is "default".`,
  policyTooLarge: (max: number) => `The key policy exceeds the maximum size of ${max} bytes.`,

  // --- Grants ---
  invalidGrantPrincipal: (member: string, principal: string) =>
    `${member} ${principal} is not a valid principal: use an IAM ARN (arn:aws:iam::<account>:user/<name>, …:root) or an account ID.`,
  invalidGrantToken: "The grant token is not valid.",
  invalidGrantId: (id: string) => `Invalid grant ID ${id}: a grant ID is 64 hexadecimal characters.`,
  grantNotFound: (grantId: string, keyArn: string) => `Grant ID ${grantId} not found for key ${keyArn}.`,

  // --- CreateKey ---
  keyUsageRequired: "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
  keyUsageIncompatible: (usage: string, spec: string) => `KeyUsage ${usage} is not compatible with KeySpec ${spec}`,
  specConflict: "You cannot specify both KeySpec and CustomerMasterKeySpec with different values.",

  // --- GenerateDataKey / GenerateRandom ---
  dataKeyBothSizes: "Please specify either number of bytes or key spec, but not both.",
  dataKeyNoSize: "Please specify either number of bytes or key spec.",

  // --- Aliases ---
  aliasPrefix: `Alias must start with the prefix "alias/". Please see ${AWS_ALIAS_DOCS}`,
  aliasNameInvalid: (name: string) => `Alias name ${name} is not valid. Please see ${AWS_ALIAS_DOCS}`,
  aliasReserved: (name: string) => `Alias names that begin with "alias/aws/" are reserved for AWS managed keys: ${name}`,
  aliasExists: (aliasArn: string) => `An alias with the name ${aliasArn} already exists`,
  aliasesQuota: (max: number) => `Cannot exceed quota for AliasesPerKey: ${max}`,

  // --- Tags ---
  tooManyTags: "Too many tags",
  duplicateTagKeys: "Duplicate tag keys",
  reservedTagKey: "Tags beginning with aws: are reserved",
  tagsQuota: (max: number, total: number) => `Cannot exceed quota for TagsPerKey: ${max}. The key would have ${total} tags.`,

  // --- Imported key material (ImportKeyMaterial, GetParametersForImport, RotateKeyOnDemand) ---
  /** ImportKeyMaterial (NEW_KEY_MATERIAL) while another material waits for RotateKeyOnDemand. */
  anotherMaterialPendingRotation: (newMaterialId: string, keyArn: string, pendingMaterialId: string) =>
    `New key material (id: ${newMaterialId}) cannot be imported into KMS key ${keyArn}, because another key material (id: ${pendingMaterialId}) is pending rotation.`,
  /** RotateKeyOnDemand of an imported key with no imported material pending rotation. */
  noMaterialPendingRotation: (keyArn: string) => `No available key material pending rotation for the key: ${keyArn}.`,
  /** ExpirationModel is (or defaults to) KEY_MATERIAL_EXPIRES without ValidTo. */
  validToRequired: "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
  // Keyhold's own wording where no AWS text is on record:
  wrappingAlgorithmNotForSpec: (algorithm: string, wrappingKeySpec: string, keySpec: string) =>
    `${algorithm} with a ${wrappingKeySpec} wrapping key cannot be used to import ${keySpec} key material; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.`,
  materialIdWithNewMaterial: "You cannot specify a KeyMaterialId when ImportType is NEW_KEY_MATERIAL.",
  singleMaterialOnly: (keyArn: string, keySpec: string) =>
    `${keyArn} is a ${keySpec} key; only symmetric encryption KMS keys can have more than one key material.`,
  materialNotFound: (materialId: string, keyArn: string) => `Key material ${materialId} does not exist in ${keyArn}.`,

  // --- Paging ---
  invalidMarker: "The marker is not valid.",

  // --- DryRun ---
  dryRunSucceeded: "The request would have succeeded, but the DryRun option is set.",

  // --- Keyhold-only refusals (AWS features Keyhold does not offer) ---
  recipientUnsupported: "Recipient (Nitro Enclaves attestation) is not supported.",
  externalKeyStoresUnsupported:
    "External key stores (EXTERNAL_KEY_STORE) are not supported; custom key stores are AWS_CLOUDHSM stores on a PKCS#11 token.",
  sm2Unsupported: "SM2 keys are not supported: AWS offers them only in its China Regions.",
  multiRegionUnsupported: "Multi-Region keys are not supported: Keyhold runs in a single region.",

  // --- Root key custody under quorum (lib/approvals/host-operations.ts) ---
  hostOperationNoRule: (operation: string, command: string) =>
    `No approval rule protects ${operation}: the host's operator runs \`${command}\` directly, without a request.`,
  hostOperationHeld: (operation: string, requestId: string, approvals: number, role: string, command: string) =>
    `${operation} is held for approval: Approval request ${requestId} was created; it needs ${approvals} approval(s) from role ${role}. ` +
    `Once approved, the host's operator runs \`${command} --approval ${requestId}\` (once; it expires unused).`,
  hostApprovalMissing: (operation: string, approvals: number, role: string) =>
    `${operation} requires ${approvals} approval(s) from role ${role}: an administrator requests it in the console ` +
    `(Settings → Root key custody), and once it is approved this command runs with --approval <request-id>.`,
  hostApprovalNotFound: (requestId: string) => `Approval request ${requestId} does not exist.`,
  hostApprovalOtherOperation: (requestId: string, approved: string, operation: string) =>
    `Approval request ${requestId} is for ${approved}, not ${operation}.`,
  hostApprovalNotApproved: (requestId: string, status: string, approvals: number, needed: number) =>
    `Approval request ${requestId} is ${status} (${approvals} of ${needed} approvals), not approved.`,
  hostApprovalUsed: (requestId: string) => `Approval request ${requestId} was already used: an approval runs its change once.`,
  hostApprovalExpired: (requestId: string, at: string) => `Approval request ${requestId} expired at ${at} before it was used.`,
  hostApprovalOtherTarget: (requestId: string, approved: string, asked: string) =>
    `Approval request ${requestId} approved ${approved}, not ${asked}.`,
} as const;

/** What the console shows for an exception AWS sends without a message. */
export function explainSilentError(name: string): string {
  switch (name) {
    case "InvalidCiphertextException":
      return "The ciphertext is not valid, was not made under this key, or its encryption context does not match.";
    case "KMSInvalidSignatureException":
      return "The signature is not valid for this message, key and signing algorithm.";
    case "KMSInvalidMacException":
      return "The MAC is not valid for this message, key and MAC algorithm.";
    default:
      return name;
  }
}
