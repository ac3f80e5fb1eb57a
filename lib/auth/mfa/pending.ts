// The handle between password and second factor (and for passkey
// ceremonies): a random 256-bit token held by the browser, stored only as a
// hash, valid for 5 minutes and used once. It grants nothing by itself: no
// session or cookie exists until the second factor is proven.
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";

export type PendingPurpose = "signin" | "webauthn-register" | "step-up";
export const PENDING_TTL_SECONDS = 300;

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export async function createPending(userId: string, purpose: PendingPurpose, challenge?: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await prisma.mfaPending.create({
    data: { userId, purpose, tokenHash: hashToken(token), challenge, expiresAt: new Date(Date.now() + PENDING_TTL_SECONDS * 1000) },
  });
  // Old handles of this user are of no use: keep the table small.
  await prisma.mfaPending.deleteMany({ where: { userId, OR: [{ expiresAt: { lt: new Date() } }, { usedAt: { not: null } }] } });
  return token;
}

export interface Pending {
  id: string;
  userId: string;
  challenge: string | null;
}

/** The live (unexpired, unused) handle for `token`, or null. */
export async function findPending(token: unknown, purpose: PendingPurpose): Promise<Pending | null> {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const row = await prisma.mfaPending.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= new Date()) return null;
  return { id: row.id, userId: row.userId, challenge: row.challenge };
}

export async function setPendingChallenge(id: string, challenge: string): Promise<void> {
  await prisma.mfaPending.update({ where: { id }, data: { challenge } });
}

/** Marks the handle used; false when another request used it first. */
export async function consumePending(id: string): Promise<boolean> {
  const { count } = await prisma.mfaPending.updateMany({ where: { id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
  return count === 1;
}
