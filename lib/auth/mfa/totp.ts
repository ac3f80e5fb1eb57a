// TOTP (RFC 6238) through otplib: SHA-1, 6 digits, 30 s, as every
// authenticator app expects. The secret is kept only wrapped by the root key
// store; a code is accepted once (its time step must be newer than the last).
import { generateSecret, generateURI, verify } from "otplib";
import type { KeyStore } from "@/lib/crypto";

export const TOTP_ISSUER = "Keyhold";
/** One step either side: a phone clock a little off still works. */
const TOLERANCE_SECONDS = 30;
const CODE = /^\d{6}$/;

export function newTotpSecret(): string {
  return generateSecret(); // 20 random bytes, base32
}

export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

/** The accepted time step, or null for a wrong, malformed or replayed code. */
export async function checkTotpCode(secret: string, code: string, lastTimeStep: number | null): Promise<number | null> {
  const token = code.replace(/\s+/g, "");
  if (!CODE.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastTimeStep !== null ? { afterTimeStep: lastTimeStep } : {}),
  }).catch(() => ({ valid: false as const }));
  // TOTP results carry the step they matched (HOTP ones do not).
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}

const aad = (factorId: string) => Buffer.from(`keyhold:totp-secret:${factorId}`);

export async function wrapTotpSecret(store: KeyStore, factorId: string, secret: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await store.wrap(Buffer.from(secret, "utf8"), aad(factorId)));
}

export async function unwrapTotpSecret(store: KeyStore, factorId: string, wrapped: Uint8Array): Promise<string> {
  const plain = await store.unwrap(Buffer.from(wrapped), aad(factorId));
  const secret = plain.toString("utf8");
  plain.fill(0);
  return secret;
}
