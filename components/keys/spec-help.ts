// Plain-words explanations for the create-key wizard.
import type { KeySpec, KeyUsage } from "@/lib/crypto/specs";

export type KeyType = "SYMMETRIC" | "ASYMMETRIC" | "HMAC";

export const KEY_TYPES: Array<{ id: KeyType; label: string; help: string }> = [
  {
    id: "SYMMETRIC",
    label: "Symmetric",
    help: "One secret key that never leaves Keyhold encrypts and decrypts. Best for most uses: envelope encryption of data keys, secrets, files.",
  },
  {
    id: "ASYMMETRIC",
    label: "Asymmetric",
    help: "A key pair: the private key stays in Keyhold, the public key can be downloaded and used anywhere (to verify signatures, encrypt, or agree on a shared secret).",
  },
  {
    id: "HMAC",
    label: "HMAC",
    help: "A secret key that computes and verifies message authentication codes (tokens, request signing). It cannot encrypt.",
  },
];

export const USAGE_HELP: Record<KeyUsage, string> = {
  ENCRYPT_DECRYPT: "Encrypt and decrypt data (and, for symmetric keys, generate data keys for envelope encryption).",
  SIGN_VERIFY: "Create digital signatures with the private key; anyone with the public key can verify them.",
  GENERATE_VERIFY_MAC: "Compute and verify HMAC tags over messages.",
  KEY_AGREEMENT: "Derive a shared secret with another party's public key (ECDH).",
};

export const TYPE_SPECS: Record<KeyType, KeySpec[]> = {
  SYMMETRIC: ["SYMMETRIC_DEFAULT"],
  ASYMMETRIC: [
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "ECC_NIST_EDWARDS25519",
    "ML_DSA_44",
    "ML_DSA_65",
    "ML_DSA_87",
  ],
  HMAC: ["HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"],
};

export const SPEC_HELP: Record<KeySpec, string> = {
  SYMMETRIC_DEFAULT: "256-bit AES in GCM mode. Fast, compact ciphertexts, automatic rotation available.",
  RSA_2048: "RSA with a 2048-bit modulus: widely supported; encrypt small payloads or sign.",
  RSA_3072: "RSA with a 3072-bit modulus: stronger, slower than 2048.",
  RSA_4096: "RSA with a 4096-bit modulus: the strongest RSA, the slowest.",
  ECC_NIST_P256: "Elliptic curve P-256 (secp256r1): small, fast signatures; also key agreement.",
  ECC_NIST_P384: "Elliptic curve P-384: stronger NIST curve; signing or key agreement.",
  ECC_NIST_P521: "Elliptic curve P-521: the strongest NIST curve.",
  ECC_SECG_P256K1: "secp256k1: the curve used by cryptocurrencies; signing only.",
  ECC_NIST_EDWARDS25519: "Ed25519: modern, deterministic signatures.",
  ML_DSA_44: "ML-DSA-44 (FIPS 204): post-quantum signatures, smallest parameter set.",
  ML_DSA_65: "ML-DSA-65: post-quantum signatures, middle parameter set.",
  ML_DSA_87: "ML-DSA-87: post-quantum signatures, strongest parameter set.",
  HMAC_224: "HMAC with SHA-224 (28-byte key).",
  HMAC_256: "HMAC with SHA-256 (32-byte key): the usual choice.",
  HMAC_384: "HMAC with SHA-384 (48-byte key).",
  HMAC_512: "HMAC with SHA-512 (64-byte key).",
};
