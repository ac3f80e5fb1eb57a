// The AWS KMS key-spec table: which key usages each KeySpec allows and, per usage, the algorithm
// lists exactly as DescribeKey reports them. Names follow the AWS API model verbatim.
// SM2 is deliberately absent (China-regions only in AWS; no vetted implementation here).

export const KEY_SPECS = [
  "SYMMETRIC_DEFAULT",
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "ECC_NIST_P256",
  "ECC_NIST_P384",
  "ECC_NIST_P521",
  "ECC_SECG_P256K1",
  "ECC_NIST_EDWARDS25519",
  "HMAC_224",
  "HMAC_256",
  "HMAC_384",
  "HMAC_512",
  "ML_DSA_44",
  "ML_DSA_65",
  "ML_DSA_87",
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const ENCRYPTION_ALGORITHMS = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];
export type RsaEncryptionAlgorithm = Exclude<EncryptionAlgorithm, "SYMMETRIC_DEFAULT">;

export const SIGNING_ALGORITHMS = [
  "RSASSA_PSS_SHA_256",
  "RSASSA_PSS_SHA_384",
  "RSASSA_PSS_SHA_512",
  "RSASSA_PKCS1_V1_5_SHA_256",
  "RSASSA_PKCS1_V1_5_SHA_384",
  "RSASSA_PKCS1_V1_5_SHA_512",
  "ECDSA_SHA_256",
  "ECDSA_SHA_384",
  "ECDSA_SHA_512",
  "ED25519_SHA_512",
  "ED25519_PH_SHA_512",
  "ML_DSA_SHAKE_256",
] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const MAC_ALGORITHMS = ["HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"] as const;
export type MacAlgorithm = (typeof MAC_ALGORITHMS)[number];

export const KEY_AGREEMENT_ALGORITHMS = ["ECDH"] as const;
export type KeyAgreementAlgorithm = (typeof KEY_AGREEMENT_ALGORITHMS)[number];

export const MESSAGE_TYPES = ["RAW", "DIGEST", "EXTERNAL_MU"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const DATA_KEY_PAIR_SPECS = [
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "ECC_NIST_P256",
  "ECC_NIST_P384",
  "ECC_NIST_P521",
  "ECC_SECG_P256K1",
  "ECC_NIST_EDWARDS25519",
] as const;
export type DataKeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

/** Per-usage algorithm lists, in DescribeKey's field names. */
export interface UsageAlgorithms {
  ENCRYPT_DECRYPT?: readonly EncryptionAlgorithm[];
  SIGN_VERIFY?: readonly SigningAlgorithm[];
  GENERATE_VERIFY_MAC?: readonly MacAlgorithm[];
  KEY_AGREEMENT?: readonly KeyAgreementAlgorithm[];
}

const RSA_ENC = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] as const;
const RSA_SIGN = [
  "RSASSA_PKCS1_V1_5_SHA_256",
  "RSASSA_PKCS1_V1_5_SHA_384",
  "RSASSA_PKCS1_V1_5_SHA_512",
  "RSASSA_PSS_SHA_256",
  "RSASSA_PSS_SHA_384",
  "RSASSA_PSS_SHA_512",
] as const;
const ML_DSA = { SIGN_VERIFY: ["ML_DSA_SHAKE_256"] } as const;

const TABLE: Readonly<Record<KeySpec, UsageAlgorithms>> = {
  SYMMETRIC_DEFAULT: { ENCRYPT_DECRYPT: ["SYMMETRIC_DEFAULT"] },
  RSA_2048: { ENCRYPT_DECRYPT: RSA_ENC, SIGN_VERIFY: RSA_SIGN },
  RSA_3072: { ENCRYPT_DECRYPT: RSA_ENC, SIGN_VERIFY: RSA_SIGN },
  RSA_4096: { ENCRYPT_DECRYPT: RSA_ENC, SIGN_VERIFY: RSA_SIGN },
  // KEY_AGREEMENT is NIST curves only in AWS; secp256k1 is signing only.
  ECC_NIST_P256: { SIGN_VERIFY: ["ECDSA_SHA_256"], KEY_AGREEMENT: ["ECDH"] },
  ECC_NIST_P384: { SIGN_VERIFY: ["ECDSA_SHA_384"], KEY_AGREEMENT: ["ECDH"] },
  ECC_NIST_P521: { SIGN_VERIFY: ["ECDSA_SHA_512"], KEY_AGREEMENT: ["ECDH"] },
  ECC_SECG_P256K1: { SIGN_VERIFY: ["ECDSA_SHA_256"] },
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: ["ED25519_SHA_512", "ED25519_PH_SHA_512"] },
  HMAC_224: { GENERATE_VERIFY_MAC: ["HMAC_SHA_224"] },
  HMAC_256: { GENERATE_VERIFY_MAC: ["HMAC_SHA_256"] },
  HMAC_384: { GENERATE_VERIFY_MAC: ["HMAC_SHA_384"] },
  HMAC_512: { GENERATE_VERIFY_MAC: ["HMAC_SHA_512"] },
  ML_DSA_44: ML_DSA,
  ML_DSA_65: ML_DSA,
  ML_DSA_87: ML_DSA,
};

const has = <T extends string>(list: readonly T[], x: unknown): x is T =>
  typeof x === "string" && (list as readonly string[]).includes(x);

export const isKeySpec = (x: unknown): x is KeySpec => has(KEY_SPECS, x);
export const isKeyUsage = (x: unknown): x is KeyUsage => has(KEY_USAGES, x);
export const isEncryptionAlgorithm = (x: unknown): x is EncryptionAlgorithm => has(ENCRYPTION_ALGORITHMS, x);
export const isSigningAlgorithm = (x: unknown): x is SigningAlgorithm => has(SIGNING_ALGORITHMS, x);
export const isMacAlgorithm = (x: unknown): x is MacAlgorithm => has(MAC_ALGORITHMS, x);
export const isKeyAgreementAlgorithm = (x: unknown): x is KeyAgreementAlgorithm => has(KEY_AGREEMENT_ALGORITHMS, x);
export const isMessageType = (x: unknown): x is MessageType => has(MESSAGE_TYPES, x);
export const isDataKeyPairSpec = (x: unknown): x is DataKeyPairSpec => has(DATA_KEY_PAIR_SPECS, x);

/** Key usages a KeySpec allows (CreateKey must reject any other combination). */
export function usagesFor(spec: KeySpec): KeyUsage[] {
  return KEY_USAGES.filter((u) => TABLE[spec][u] !== undefined);
}

/** Whether CreateKey may combine `spec` with `usage`. */
export function isUsageAllowed(spec: KeySpec, usage: KeyUsage): boolean {
  return TABLE[spec][usage] !== undefined;
}

export function algorithmsFor(spec: KeySpec, usage: "ENCRYPT_DECRYPT"): readonly EncryptionAlgorithm[];
export function algorithmsFor(spec: KeySpec, usage: "SIGN_VERIFY"): readonly SigningAlgorithm[];
export function algorithmsFor(spec: KeySpec, usage: "GENERATE_VERIFY_MAC"): readonly MacAlgorithm[];
export function algorithmsFor(spec: KeySpec, usage: "KEY_AGREEMENT"): readonly KeyAgreementAlgorithm[];
export function algorithmsFor(spec: KeySpec, usage: KeyUsage): readonly string[];
/** Algorithms of `usage` for `spec`, in DescribeKey order; empty if the usage is not allowed. */
export function algorithmsFor(spec: KeySpec, usage: KeyUsage): readonly string[] {
  return TABLE[spec][usage] ?? [];
}

/** The algorithm fields DescribeKey returns for a key of `spec` created with `usage`. */
export function describeAlgorithms(
  spec: KeySpec,
  usage: KeyUsage,
): {
  EncryptionAlgorithms?: EncryptionAlgorithm[];
  SigningAlgorithms?: SigningAlgorithm[];
  MacAlgorithms?: MacAlgorithm[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithm[];
} {
  const t = TABLE[spec];
  switch (usage) {
    case "ENCRYPT_DECRYPT":
      return t.ENCRYPT_DECRYPT ? { EncryptionAlgorithms: [...t.ENCRYPT_DECRYPT] } : {};
    case "SIGN_VERIFY":
      return t.SIGN_VERIFY ? { SigningAlgorithms: [...t.SIGN_VERIFY] } : {};
    case "GENERATE_VERIFY_MAC":
      return t.GENERATE_VERIFY_MAC ? { MacAlgorithms: [...t.GENERATE_VERIFY_MAC] } : {};
    case "KEY_AGREEMENT":
      return t.KEY_AGREEMENT ? { KeyAgreementAlgorithms: [...t.KEY_AGREEMENT] } : {};
  }
}

// ---- Sizes -------------------------------------------------------------------------------------

/** Max Message bytes for Sign/Verify with MessageType RAW, and for GenerateMac/VerifyMac. */
export const MAX_RAW_MESSAGE_BYTES = 4096;
/** Max Plaintext bytes for Encrypt with SYMMETRIC_DEFAULT. */
export const MAX_SYMMETRIC_PLAINTEXT_BYTES = 4096;

/** RSAES-OAEP max plaintext = k - 2·hLen - 2 (RFC 8017 §7.1.1), as AWS documents. */
export const RSA_MAX_PLAINTEXT_BYTES: Readonly<
  Record<"RSA_2048" | "RSA_3072" | "RSA_4096", Readonly<Record<RsaEncryptionAlgorithm, number>>>
> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
};

export function rsaMaxPlaintextBytes(spec: KeySpec, algorithm: EncryptionAlgorithm): number | undefined {
  if (spec !== "RSA_2048" && spec !== "RSA_3072" && spec !== "RSA_4096") return undefined;
  if (algorithm === "SYMMETRIC_DEFAULT") return undefined;
  return RSA_MAX_PLAINTEXT_BYTES[spec][algorithm];
}

export type HashName = "sha1" | "sha224" | "sha256" | "sha384" | "sha512";

interface SigningInfo {
  /** Hash applied to RAW messages (node:crypto name); undefined for ML-DSA (SHAKE256 internal). */
  hash?: HashName;
  /** Message types the algorithm accepts, as AWS documents. */
  messageTypes: readonly MessageType[];
  /** Required Message length for DIGEST / EXTERNAL_MU. */
  digestLength?: number;
}

const SIGNING_INFO: Readonly<Record<SigningAlgorithm, SigningInfo>> = {
  RSASSA_PSS_SHA_256: { hash: "sha256", messageTypes: ["RAW", "DIGEST"], digestLength: 32 },
  RSASSA_PSS_SHA_384: { hash: "sha384", messageTypes: ["RAW", "DIGEST"], digestLength: 48 },
  RSASSA_PSS_SHA_512: { hash: "sha512", messageTypes: ["RAW", "DIGEST"], digestLength: 64 },
  RSASSA_PKCS1_V1_5_SHA_256: { hash: "sha256", messageTypes: ["RAW", "DIGEST"], digestLength: 32 },
  RSASSA_PKCS1_V1_5_SHA_384: { hash: "sha384", messageTypes: ["RAW", "DIGEST"], digestLength: 48 },
  RSASSA_PKCS1_V1_5_SHA_512: { hash: "sha512", messageTypes: ["RAW", "DIGEST"], digestLength: 64 },
  ECDSA_SHA_256: { hash: "sha256", messageTypes: ["RAW", "DIGEST"], digestLength: 32 },
  ECDSA_SHA_384: { hash: "sha384", messageTypes: ["RAW", "DIGEST"], digestLength: 48 },
  ECDSA_SHA_512: { hash: "sha512", messageTypes: ["RAW", "DIGEST"], digestLength: 64 },
  // AWS: ED25519_SHA_512 requires RAW; ED25519_PH_SHA_512 requires DIGEST (a SHA-512 digest,
  // which KMS hashes again as the Ed25519ph pre-hash step of FIPS 186-5 §7.8.1).
  ED25519_SHA_512: { hash: "sha512", messageTypes: ["RAW"] },
  ED25519_PH_SHA_512: { hash: "sha512", messageTypes: ["DIGEST"], digestLength: 64 },
  // AWS: RAW (pure ML-DSA, empty context) or EXTERNAL_MU (64-byte μ, FIPS 204 §6.2).
  ML_DSA_SHAKE_256: { messageTypes: ["RAW", "EXTERNAL_MU"], digestLength: 64 },
};

export function messageTypesFor(algorithm: SigningAlgorithm): readonly MessageType[] {
  return SIGNING_INFO[algorithm].messageTypes;
}

/** Hash used by a signing algorithm on RAW messages (node:crypto name), if any. */
export function signingHash(algorithm: SigningAlgorithm): HashName | undefined {
  return SIGNING_INFO[algorithm].hash;
}

/**
 * Required Message length for a pre-hashed message type (DIGEST, EXTERNAL_MU), or undefined for
 * RAW or when the algorithm does not accept that message type.
 */
export function digestLengthFor(algorithm: SigningAlgorithm, messageType: MessageType): number | undefined {
  const info = SIGNING_INFO[algorithm];
  if (messageType === "RAW" || !info.messageTypes.includes(messageType)) return undefined;
  return info.digestLength;
}

export const MAC_INFO: Readonly<Record<MacAlgorithm, { hash: HashName; macLength: number }>> = {
  HMAC_SHA_224: { hash: "sha224", macLength: 28 },
  HMAC_SHA_256: { hash: "sha256", macLength: 32 },
  HMAC_SHA_384: { hash: "sha384", macLength: 48 },
  HMAC_SHA_512: { hash: "sha512", macLength: 64 },
};

/**
 * HMAC key lengths: generated keys use the hash output length; imported material may be any
 * length in AWS's accepted range (HMAC_224: 28–64 … HMAC_512: 64–128 bytes).
 */
export const HMAC_KEY_BYTES: Readonly<
  Record<"HMAC_224" | "HMAC_256" | "HMAC_384" | "HMAC_512", { generated: number; min: number; max: number }>
> = {
  HMAC_224: { generated: 28, min: 28, max: 64 },
  HMAC_256: { generated: 32, min: 32, max: 64 },
  HMAC_384: { generated: 48, min: 48, max: 128 },
  HMAC_512: { generated: 64, min: 64, max: 128 },
};
