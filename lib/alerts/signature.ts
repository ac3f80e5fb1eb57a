// Webhook signatures, Stripe-style: `X-Keyhold-Signature: t=<unix seconds>,v1=<hex>`
// where hex = HMAC-SHA256(rule secret, "<t>.<raw body>"). The timestamp is
// signed with the body so a receiver can refuse old messages (replay).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Keyhold-Signature";
/** How old a signed message a receiver should accept (and how far in the future). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A new per-rule signing secret: 32 random bytes, shown once at rule creation. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

const mac = (secret: string, t: number, body: string) => createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

export function signatureHeader(secret: string, body: string, now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/** What a receiver does: recompute the MAC over "<t>.<body>", compare in constant time, check the age. */
export function verifySignature(secret: string, body: string, header: string | undefined, now: Date = new Date()): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || !/^[0-9a-f]{64}$/.test(parts.v1)) return false;
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return timingSafeEqual(Buffer.from(parts.v1, "hex"), Buffer.from(mac(secret, t, body), "hex"));
}
