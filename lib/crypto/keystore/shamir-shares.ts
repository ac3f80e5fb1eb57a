// Unseal shares of a Shamir-sealed root key. The splitting and combining is `shamir-secret-sharing`
// (audited, constant-time GF(256)); this module only frames a share for people to copy:
//   "khs1-" base64url( 0x01 | fingerprint (8) | generation (4) | share (33) | check (4) )
// The fingerprint names the root key and the generation the split (a rekey starts a new one), so a
// share of another Keyhold or of a replaced split is refused on entry; the check catches typos.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { combine, split } from "shamir-secret-sharing";
import { AES_KEY_BYTES } from "../aes-gcm";
import type { ShamirCustody } from "./custody-record";

const PREFIX = "khs1-";
const VERSION = 0x01;
const FINGERPRINT_BYTES = 8;
const GENERATION_BYTES = 4;
const SHARE_BYTES = AES_KEY_BYTES + 1; // y values + the x coordinate (last byte)
const CHECK_BYTES = 4;
const VERIFIER_LABEL = "keyhold root key verifier v1";

export interface ParsedShare {
  fingerprint: string;
  generation: string;
  /** The share for combine(); its last byte is the x coordinate (unique per custodian). */
  share: Buffer;
}

const check = (body: Buffer) => createHash("sha256").update(body).digest().subarray(0, CHECK_BYTES);

/** Same fingerprint as LocalKeyStore's, so a key keeps its name when it moves between stores. */
export function rootKeyFingerprint(rootKey: Uint8Array): string {
  return createHmac("sha256", rootKey).update("keyhold key check").digest().subarray(0, FINGERPRINT_BYTES).toString("hex");
}

export function rootKeyVerifier(rootKey: Uint8Array): string {
  return createHmac("sha256", rootKey).update(VERIFIER_LABEL).digest("hex");
}

export function verifiesAs(rootKey: Uint8Array, verifier: string): boolean {
  const expected = Buffer.from(verifier, "hex");
  const actual = Buffer.from(rootKeyVerifier(rootKey), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function encodeShare(fingerprint: string, generation: string, share: Uint8Array): string {
  const body = Buffer.concat([Buffer.from([VERSION]), Buffer.from(fingerprint, "hex"), Buffer.from(generation, "hex"), share]);
  const text = PREFIX + Buffer.concat([body, check(body)]).toString("base64url");
  body.fill(0);
  return text;
}

/** Undefined when the text is not a well-formed share (wrong prefix, length or check). */
export function parseShare(text: string): ParsedShare | undefined {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) return undefined;
  const raw = Buffer.from(t.slice(PREFIX.length), "base64url");
  const bodyLength = 1 + FINGERPRINT_BYTES + GENERATION_BYTES + SHARE_BYTES;
  if (raw.length !== bodyLength + CHECK_BYTES || raw[0] !== VERSION) return undefined;
  const body = raw.subarray(0, bodyLength);
  if (!timingSafeEqual(check(body), raw.subarray(bodyLength))) return undefined;
  let at = 1;
  const fingerprint = body.subarray(at, (at += FINGERPRINT_BYTES)).toString("hex");
  const generation = body.subarray(at, (at += GENERATION_BYTES)).toString("hex");
  const share = Buffer.from(body.subarray(at));
  raw.fill(0);
  return { fingerprint, generation, share };
}

/** Splits `rootKey` into `custodians` shares, any `threshold` of which recombine it. */
export async function splitRootKey(rootKey: Uint8Array, custodians: number, threshold: number): Promise<{ custody: ShamirCustody; shares: string[] }> {
  if (!Number.isInteger(threshold) || !Number.isInteger(custodians) || threshold < 2 || custodians < threshold || custodians > 255) {
    throw new RangeError("need 2 ≤ threshold ≤ custodians ≤ 255");
  }
  const fingerprint = rootKeyFingerprint(rootKey);
  const generation = randomBytes(GENERATION_BYTES).toString("hex");
  // The library checks `instanceof Uint8Array` (a Buffer from another realm fails it): plain copies.
  const secret = new Uint8Array(rootKey);
  const parts = await split(secret, custodians, threshold).finally(() => secret.fill(0));
  const shares = parts.map((p) => encodeShare(fingerprint, generation, p));
  for (const p of parts) p.fill(0);
  return { custody: { threshold, custodians, verifier: rootKeyVerifier(rootKey), fingerprint, generation }, shares };
}

export async function combineShares(shares: Buffer[]): Promise<Buffer> {
  const plain = shares.map((s) => new Uint8Array(s));
  try {
    const key = await combine(plain);
    const out = Buffer.from(key);
    key.fill(0);
    return out;
  } finally {
    for (const p of plain) p.fill(0);
  }
}
