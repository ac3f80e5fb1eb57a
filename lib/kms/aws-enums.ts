// AWS's value sets for the request enums whose AWS set differs from what
// Keyhold implements, in the API model's order (AWS lists them in that order
// in "Member must satisfy enum value set: [...]"). Validation accepts the whole
// AWS set, so a value AWS knows but Keyhold does not offer (SM2, SM2PKE) gets
// the operation's own error, as in an AWS Region without it. Kept equal to
// lib/api/kms-model.json by tests/kms/aws-enums.test.ts.

export const ENCRYPTION_ALGORITHM_SPEC = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"] as const;

export const KEY_SPEC = [
  "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
  "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87",
  "ECC_NIST_EDWARDS25519",
] as const;

export const CUSTOMER_MASTER_KEY_SPEC = [
  "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
  "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
] as const;

export const KEY_USAGE_TYPE = ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"] as const;

export const ORIGIN_TYPE = ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"] as const;
