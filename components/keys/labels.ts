// Plain-words names for AWS key states, usages and specs.
import { formatDateTime } from "@/lib/console/dates";

export const STATE_LABELS: Record<string, string> = {
  Enabled: "Enabled",
  Disabled: "Disabled",
  PendingDeletion: "Pending deletion",
  PendingImport: "Pending import",
};

export const USAGE_LABELS: Record<string, string> = {
  ENCRYPT_DECRYPT: "Encrypt and decrypt",
  SIGN_VERIFY: "Sign and verify",
  GENERATE_VERIFY_MAC: "Generate and verify MAC",
  KEY_AGREEMENT: "Key agreement",
};

export const SPEC_LABELS: Record<string, string> = {
  SYMMETRIC_DEFAULT: "Symmetric (AES-256-GCM)",
  RSA_2048: "RSA 2048",
  RSA_3072: "RSA 3072",
  RSA_4096: "RSA 4096",
  ECC_NIST_P256: "ECC NIST P-256",
  ECC_NIST_P384: "ECC NIST P-384",
  ECC_NIST_P521: "ECC NIST P-521",
  ECC_SECG_P256K1: "ECC secp256k1",
  ECC_NIST_EDWARDS25519: "Ed25519",
  HMAC_224: "HMAC 224",
  HMAC_256: "HMAC 256",
  HMAC_384: "HMAC 384",
  HMAC_512: "HMAC 512",
  ML_DSA_44: "ML-DSA-44",
  ML_DSA_65: "ML-DSA-65",
  ML_DSA_87: "ML-DSA-87",
};

export const isAsymmetric = (spec: string) => spec !== "SYMMETRIC_DEFAULT" && !spec.startsWith("HMAC_");

/** The console's one date format (lib/console/dates.ts). */
export function formatDate(iso: string | null | undefined): string {
  return formatDateTime(iso);
}

/** "in 6 days 23 h", "in 3 h 10 min", "now". */
export function countdown(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return "now";
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return d > 0 ? `in ${d} d ${h} h` : h > 0 ? `in ${h} h ${m} min` : `in ${m} min`;
}
