// Server-side records of console sessions. The JWT cookie carries the
// record's id (`sid`); every request checks the record, so a session can be
// ended on its own (sign-out, "end session" on the Account or Users page)
// and all of a user's sessions end when their sessionEpoch moves (disable,
// role, password or MFA change).
import { config } from "@/lib/config";
import { prisma } from "@/lib/db/client";

/** lastSeenAt is written at most this often per session (not on every request). */
const TOUCH_SECONDS = 60;
const MAX_TEXT = 512;

export type SignInMethod = "password" | "mfa" | "sso";

export async function createConsoleSession(
  user: { id: string; sessionEpoch: number },
  facts: { sourceIp?: string; userAgent?: string; method: SignInMethod; stepUp?: boolean },
): Promise<string> {
  const now = new Date();
  const row = await prisma.consoleSession.create({
    data: {
      userId: user.id,
      epoch: user.sessionEpoch,
      sourceIp: facts.sourceIp?.slice(0, MAX_TEXT),
      userAgent: facts.userAgent?.slice(0, MAX_TEXT),
      method: facts.method,
      // Signing in with a second factor is itself a fresh proof.
      stepUpAt: facts.stepUp ? now : null,
      createdAt: now,
      lastSeenAt: now,
    },
  });
  return row.id;
}

/** Whether the session record `sid` of `userId` is live under `epoch`; notes the activity. */
export async function consoleSessionIsLive(sid: string, userId: string, epoch: number, now = new Date()): Promise<boolean> {
  const row = await prisma.consoleSession.findUnique({ where: { id: sid }, select: { userId: true, epoch: true, revokedAt: true, lastSeenAt: true } });
  if (!row || row.userId !== userId || row.epoch !== epoch || row.revokedAt) return false;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_SECONDS * 1000) {
    await prisma.consoleSession.updateMany({ where: { id: sid, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return true;
}

/** Ends one session; false when it was not live (already ended, or another user's). */
export async function revokeConsoleSession(sid: string, userId?: string): Promise<boolean> {
  const { count } = await prisma.consoleSession.updateMany({ where: { id: sid, revokedAt: null, ...(userId ? { userId } : {}) }, data: { revokedAt: new Date() } });
  return count > 0;
}

/** Ends every session of the user but `keep` (e.g. after they changed their own factors). */
export async function revokeOtherConsoleSessions(userId: string, keep?: string): Promise<number> {
  const { count } = await prisma.consoleSession.updateMany({
    where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

export interface ConsoleSessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  sourceIp: string | null;
  userAgent: string | null;
  method: string;
}

/** Sessions that still work: not ended, issued under the current epoch, within idle and absolute lifetimes. */
export async function activeConsoleSessions(userId: string, now = new Date()): Promise<ConsoleSessionSummary[]> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { sessionEpoch: true, disabled: true } });
  if (!user || user.disabled) return [];
  const cfg = config();
  const rows = await prisma.consoleSession.findMany({
    where: {
      userId,
      revokedAt: null,
      epoch: user.sessionEpoch,
      createdAt: { gt: new Date(now.getTime() - cfg.sessionMaxSeconds * 1000) },
      // The record is touched at most every TOUCH_SECONDS: allow for that.
      lastSeenAt: { gt: new Date(now.getTime() - (cfg.sessionIdleSeconds + TOUCH_SECONDS) * 1000) },
    },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    sourceIp: r.sourceIp,
    userAgent: r.userAgent,
    method: r.method,
  }));
}
