// Every error text Keyhold's key service answers, in one table, worded as AWS
// KMS words them (checked against recorded AWS responses and the API
// reference). Where AWS has a text, it is copied exactly; Keyhold-only
// refusals (unsupported features) say why. Exceptions AWS sends without a
// message use NO_MESSAGE. tests/compat/aws-messages.test.ts reads them back
// through the AWS SDK.

/** AWS sends InvalidCiphertextException (Decrypt/ReEncrypt), KMSInvalidSignatureException and KMSInvalidMacException with no message. */
export const NO_MESSAGE = "";

const AWS_ALIAS_DOCS = "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html";

/** Coral's article per target type, as recorded ("an Boolean" is AWS's own). */
const CORAL_ARTICLE: Record<string, string> = { String: "a", Integer: "an", Long: "a", Boolean: "an" };

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

  // --- The wire (JSON 1.1): a value of the wrong JSON type, in the words of AWS's JSON 1.1
  // deserializer (the same in every JSON 1.1 service: recorded from Athena, SQS, SNS and CodeDeploy).
  /** A scalar where another scalar type belongs: `STRING_VALUE can not be converted to an Integer`. */
  scalarNotConvertible: (jsonValue: "STRING_VALUE" | "NUMBER_VALUE" | "TRUE_VALUE" | "FALSE_VALUE", target: string) =>
    `${jsonValue} can not be converted to ${CORAL_ARTICLE[target] ?? "a"} ${target}`,
  listNotExpected: "Start of list found where not expected",
  structureNotExpected: "Start of structure or map found where not expected.",
  listExpected: "Expected list or null",
  // Keyhold's wording where no AWS text is on record (a timestamp, blob, structure or map of the wrong type):
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
  /** Sign/Verify: a DIGEST whose length is not the algorithm's hash length. */
  digestLength: (algorithm: string) => `Digest is invalid length for algorithm ${algorithm}.`,
  /** Sign/Verify: a message type an ML-DSA key spec does not take (AWS names the key spec). */
  messageTypeForKeySpec: (messageType: string, keySpec: string) => `Message type ${messageType} is incompatible with key spec ${keySpec}.`,
  /** Sign/Verify: a message type the signing algorithm does not take (AWS, for the Ed25519 algorithms). */
  messageTypeForAlgorithm: (messageType: string, algorithm: string) => `Message type ${messageType} is incompatible with algorithm ${algorithm}.`,
  /** Keyhold's wording (no AWS text on record): an EXTERNAL_MU message of the wrong length. */
  externalMuLength: (algorithm: string, want: number, got: number) =>
    `EXTERNAL_MU messages for ${algorithm} must be exactly ${want} bytes; the message is ${got} bytes.`,
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
  /** AWS's text; `current` is the number of aliases the key already has. */
  aliasesQuota: (max: number, current: number) => `Aliases per key quota for this account in this region is ${max}, current usage is ${current}.`,

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

  validToNotAllowed: "ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.",
  validToRange: "ValidTo must be between 15 minutes and 365 days after the time of the request.",
  importTokenInvalid: "The import token is invalid.",
  importTokenForOtherKey: (keyArn: string) => `The import token was not issued for ${keyArn}.`,
  importTokenExpired: (validTo: string) => `The import token expired at ${validTo}; call GetParametersForImport for new import parameters.`,
  importParametersUnreadable: "The import parameters could not be read.",
  encryptedMaterialNotDecryptable: (algorithm: string) =>
    `The encrypted key material could not be decrypted with the wrapping key of this import token using ${algorithm}.`,
  materialChangedConcurrently: (keyArn: string) => `The key material of ${keyArn} changed concurrently; try again.`,
  importSpecUnsupported: (keySpec: string) =>
    `Importing ${keySpec} key material is not supported by Keyhold; only symmetric encryption, HMAC, RSA and ECC (NIST, secp256k1) keys take imported material.`,
  notPkcs8OfSpec: (keySpec: string, keyArn: string) => `The key material is not a valid PKCS#8 ${keySpec} private key; ${keyArn} is a ${keySpec} key.`,
  materialSize: (bytes: number, keyArn: string, keySpec: string, size: string) =>
    `The key material is ${bytes} bytes; ${keyArn} is a ${keySpec} key, which takes ${size}.`,
  noMaterialImportedYet: (keyArn: string) => `No key material has been imported into ${keyArn} yet; use NEW_KEY_MATERIAL.`,
  materialAlreadyImported: (keyArn: string, materialId: string) =>
    `This key material is already imported into ${keyArn} (key material id: ${materialId}); import it with ImportType EXISTING_KEY_MATERIAL.`,
  notPreviousMaterial: (keyArn: string, materialId: string | undefined) =>
    `The key material is not the material ${materialId === undefined ? "" : `${materialId} `}previously imported into ${keyArn}; only that material can be imported again.`,
  wrappingAlgorithmUnsupported: (algorithm: string, supported: readonly string[]) =>
    `Wrapping algorithm ${algorithm} is not supported (RSAES_PKCS1_V1_5 is withdrawn, SM2PKE is for China Regions); use one of ${supported.join(", ")}.`,
  wrappingKeySpecUnsupported: (spec: string, supported: readonly string[]) => `Wrapping key spec ${spec} is not supported; use one of ${supported.join(", ")}.`,

  // --- Rotation (Keyhold's wording: no AWS text on record) ---
  rotationSymmetricOnly: (keyArn: string, keySpec: string, what: string) =>
    `${keyArn} is a ${keySpec} key; ${what} is supported only for symmetric encryption KMS keys.`,
  rotationCustomKeyStore: (keyArn: string, what: string) => `${keyArn} is in a custom key store; ${what} is not supported for it.`,
  rotationImported: (keyArn: string, what: string) => `${keyArn} has imported key material; ${what} is not supported for it.`,
  onDemandRotationsQuota: (keyArn: string, max: number) => `${keyArn} has reached the limit of ${max} on-demand rotations.`,
  rotatedConcurrently: (keyArn: string) => `${keyArn} is being rotated concurrently; try again.`,

  // --- Encryption and key material (Keyhold's wording) ---
  cannotEncrypt: "The plaintext cannot be encrypted with this key.",
  cannotEncryptDestination: "The plaintext cannot be encrypted with the destination key.",
  sourceKeyIdForIgnoreCiphertext: "SourceKeyId is required when DryRunModifiers includes IGNORE_CIPHERTEXT.",
  materialUnavailable: "The key material of this KMS key is not available.",
  materialNotUnwrappable: "Key material could not be unwrapped",
  keyCannotSign: "The key cannot sign.",

  // --- UpdateAlias to a key of another type (Keyhold's wording) ---
  aliasTargetType: (targetArn: string, targetType: string, targetUsage: string, alias: string, currentType: string, currentUsage: string) =>
    `${targetArn} is a ${targetType} key with usage ${targetUsage}; alias ${alias} points to a ${currentType} key with usage ${currentUsage}. The new target key must be the same type and usage.`,

  // --- Grants (Keyhold's wording) ---
  grantBeyondParentOperations: (callerArn: string, beyond: readonly string[], parentId: string) =>
    `${callerArn} is not authorized to create a grant for ${beyond.join(", ")}: the grant that allows it to create grants (${parentId}) does not include ${beyond.length === 1 ? "that operation" : "those operations"}.`,
  grantBeyondParentConstraints: (callerArn: string, parentId: string) =>
    `${callerArn} is not authorized to create this grant: its encryption context constraints must be at least as strict as those of the grant that allows it (${parentId}).`,
  parentGrantGone: (callerArn: string) => `${callerArn} is not authorized to perform kms:CreateGrant: the grant that allowed it no longer exists.`,
  servicePrincipalsUnsupported: "Service principals are not supported: Keyhold has no AWS services that could use a grant.",
  grantConstraintsBoth: "A grant may have either the EncryptionContextEquals or the EncryptionContextSubset constraint, not both.",
  grantOperationsNotValid: (operations: readonly string[], keyArn: string, keySpec: string, keyUsage: string) =>
    `Grant operations ${operations.join(", ")} are not valid for ${keyArn} (${keySpec}, ${keyUsage}).`,
  grantConstraintsSymmetricOnly: "Encryption context grant constraints are supported only for symmetric encryption keys.",
  grantIdNotOfToken: "The grant ID does not match the grant token.",
  retireGrantWhich: "Specify either a GrantToken, or both KeyId and GrantId.",
  grantTokenNoGrant: "The grant token does not name a grant that exists.",
  notAllowedToRetire: (callerArn: string, keyArn: string, grantId: string) =>
    `User: ${callerArn} is not authorized to perform: kms:RetireGrant on resource: ${keyArn} because it is neither the retiring principal nor a grantee allowed to retire grant ${grantId}`,

  // --- Custom key stores (AWS_CLOUDHSM stores on a PKCS#11 token; Keyhold's wording) ---
  cloudHsmStoreNeeds: (missing: readonly string[]) => `An AWS_CLOUDHSM custom key store needs ${missing.join(", ")}.`,
  storeNameInUse: (name: string | undefined) => `A custom key store named '${name}' already exists.`,
  tokenInUse: (label: string | undefined) => `The token '${label}' is already in use.`,
  storeIdOrName: "Specify either CustomKeyStoreId or CustomKeyStoreName, not both.",
  storeNotFound: (idOrName: string | undefined) => `Custom key store '${idOrName}' does not exist in this account and Region.`,
  storeConnectedForUpdate: (id: string, state: string) =>
    `Custom key store '${id}' is ${state}; disconnect it before changing its KeyStorePassword or CloudHsmClusterId.`,
  storeConnectedForDelete: (id: string, state: string) => `Custom key store '${id}' is ${state}; disconnect it before deleting it.`,
  storeHasKeys: (id: string, keys: number) =>
    `Custom key store '${id}' still holds ${keys} KMS key${keys === 1 ? "" : "s"}; schedule their deletion and wait for it to end first.`,
  storeBusy: (id: string, state: string) => `Custom key store '${id}' is ${state}; try again when it is done.`,
  storeNotConnected: (id: string, state: string) => `Custom key store '${id}' is ${state}; it must be CONNECTED (use ConnectCustomKeyStore).`,
  storeIdNeedsCloudHsmOrigin: (origin: string) => `CustomKeyStoreId requires Origin AWS_CLOUDHSM, not ${origin}.`,
  cloudHsmOriginNeedsStoreId: "Origin AWS_CLOUDHSM requires a CustomKeyStoreId.",
  storeKeysSymmetricOnly: "A key in a custom key store must be a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT).",
  hsmFailed: (what: string) => `The HSM of the custom key store could not ${what}.`,
  storeKeyUnavailable: (keyArn: string, storeId: string) => `${keyArn} is unavailable: its custom key store ${storeId} is not connected.`,
  pkcs11LibraryUnusable: (modulePath: string) => `The PKCS#11 library ${modulePath} (KEYHOLD_PKCS11_MODULE) cannot be loaded or initialised.`,
  tokenNotFound: (label: string, modulePath: string) => `No token labelled '${label}' is present in the PKCS#11 library ${modulePath}.`,
  tokenNotInitialised: (label: string) => `The token '${label}' is not initialised or has no user PIN.`,
  trustAnchorInvalid: "The TrustAnchorCertificate is not a valid PEM-encoded X.509 certificate.",

  // --- Paging ---
  invalidMarker: "The marker is not valid.",

  // --- DryRun ---
  dryRunSucceeded: "The request would have succeeded, but the DryRun option is set.",

  // --- Approvals through the API (KeyholdApprovals.*; Keyhold-only) ---
  approvalMfaCodeRequired:
    "This approver has MFA: send MfaCode, a current code from your authenticator app, to approve or reject through the API.",
  approvalMfaCodeRejected: "The MfaCode was not accepted: it is wrong, expired or already used.",
  approvalMfaLocked: "Account locked after repeated failed attempts.",
  approvalMfaNoAuthenticator:
    "Your MFA has no authenticator app (passkeys only, or your role requires MFA and you have none): approve in the console, or enrol an authenticator app to approve through the API.",
  approvalRequestIdInvalid: "RequestId must be an approval request ID (a UUID).",
  approvalRequestNotFound: (id: string) => `Approval request ${id} does not exist.`,
  approvalRequestNotVisible: (id: string) => `You may not view approval request ${id}: it is neither yours nor one your role decides.`,
  approvalFieldType: (field: string) => `${field} must be a string.`,
  approvalSecretExpired: (id: string, at: string) =>
    `The secret of approval request ${id} expired unrevealed at ${at} and was erased; ask for the change again.`,

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
