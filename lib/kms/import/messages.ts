// AWS KMS's exact texts for the import operations (issue 13). Kept here as
// small functions so they can move into the shared message table
// (lib/errors/messages.ts) unchanged.

/** KMSInvalidStateException for a key whose current material is not imported. */
export const pendingImport = (keyArn: string) => `${keyArn} is pending import.`;

/** DisabledException. */
export const disabled = (keyArn: string) => `${keyArn} is disabled.`;

/** KMSInvalidStateException: ImportKeyMaterial (NEW_KEY_MATERIAL) while a material waits for RotateKeyOnDemand. */
export const anotherMaterialPendingRotation = (newMaterialId: string, keyArn: string, pendingMaterialId: string) =>
  `New key material (id: ${newMaterialId}) cannot be imported into KMS key ${keyArn}, because another key material (id: ${pendingMaterialId}) is pending rotation.`;

/** KMSInvalidStateException: RotateKeyOnDemand of an imported key with no imported material pending rotation. */
export const noMaterialPendingRotation = (keyArn: string) => `No available key material pending rotation for the key: ${keyArn}.`;

/** ValidationException: ImportKeyMaterial whose ExpirationModel is (or defaults to) KEY_MATERIAL_EXPIRES without ValidTo. */
export const validToRequired = () => "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES";

/** ValidationException: GetParametersForImport with a wrapping algorithm that cannot carry this key's material. */
export const wrappingAlgorithmNotForSpec = (algorithm: string, wrappingKeySpec: string, keySpec: string) =>
  `${algorithm} with a ${wrappingKeySpec} wrapping key cannot be used to import ${keySpec} key material; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.`;

/** ValidationException: ImportType NEW_KEY_MATERIAL names a KeyMaterialId. */
export const materialIdWithNewMaterial = () => "You cannot specify a KeyMaterialId when ImportType is NEW_KEY_MATERIAL.";

/** UnsupportedOperationException: a second material for a key that takes only one (asymmetric, HMAC). */
export const singleMaterialOnly = (keyArn: string, keySpec: string) =>
  `${keyArn} is a ${keySpec} key; only symmetric encryption KMS keys can have more than one key material.`;

/** NotFoundException: a KeyMaterialId that is not one of the key's materials. */
export const materialNotFound = (materialId: string, keyArn: string) => `Key material ${materialId} does not exist in ${keyArn}.`;
