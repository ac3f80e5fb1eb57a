// One-time recovery codes: 80 random bits each (XXXX-XXXX-XXXX-XXXX, base32),
// shown once and stored only as SHA-256 hashes. That is enough: with 80 bits
// of entropy a fast hash cannot be searched, unlike a password.
import { createHash, randomBytes } from "node:crypto";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
  return chars.match(/.{4}/g)!.join("-");
}

/** Case, spaces and dashes do not matter when typed. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, "");
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(`keyhold:recovery:${normalizeRecoveryCode(code)}`).digest("base64url");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[A-Z2-7]{16}$/.test(normalizeRecoveryCode(code));
}
