// Session claims → Principal. Runs on every server action, route handler and
// console page: the JWT alone is not trusted to say the user still exists,
// is enabled, has the same password, or is within the absolute lifetime.
import { config } from "@/lib/config";
import { prisma } from "@/lib/db/client";
import { accountId } from "@/lib/settings/account";
import { consoleSessionIsLive, revokeConsoleSession } from "./console-sessions";
import { roleRequiresMfa } from "./mfa/required-roles";
import { userPrincipal, type Principal } from "./principal";

/** What the session cookie carries (signed and encrypted by next-auth). */
export interface SessionClaims {
  uid: string;
  epoch: number;
  /** Sign-in time, seconds since the epoch: the absolute lifetime counts from it. */
  authTime: number;
  /** The server-side session record (lib/auth/console-sessions.ts). */
  sid?: string;
}

export function isSessionClaims(x: unknown): x is SessionClaims {
  const c = x as Partial<SessionClaims> | null | undefined;
  return (
    !!c &&
    typeof c.uid === "string" &&
    typeof c.epoch === "number" &&
    typeof c.authTime === "number" &&
    (c.sid === undefined || typeof c.sid === "string")
  );
}

export type SessionCheck = { ok: true; principal: Principal } | { ok: false; reason: string };

export async function principalFromClaims(
  claims: SessionClaims,
  options: { now?: Date; maxSeconds?: number; sourceIp?: string; userAgent?: string; secureTransport?: boolean } = {},
): Promise<SessionCheck> {
  const now = options.now ?? new Date();
  const maxSeconds = options.maxSeconds ?? config().sessionMaxSeconds;
  if (now.getTime() / 1000 - claims.authTime > maxSeconds) return { ok: false, reason: "session expired" };
  const user = await prisma.user.findUnique({
    where: { id: claims.uid },
    include: { customRole: true, _count: { select: { mfaFactors: { where: { confirmed: true } } } } },
  });
  if (!user) return { ok: false, reason: "user no longer exists" };
  if (user.disabled) return { ok: false, reason: "user is disabled" };
  if (user.sessionEpoch !== claims.epoch) return { ok: false, reason: "password changed or session revoked" };
  if (claims.sid && !(await consoleSessionIsLive(claims.sid, user.id, claims.epoch, now))) return { ok: false, reason: "session ended" };
  const principal = userPrincipal(await accountId(), user, { sourceIp: options.sourceIp, userAgent: options.userAgent, secureTransport: options.secureTransport });
  if (claims.sid) principal.sessionId = claims.sid;
  // A role that requires MFA, and no factor yet: the user may only enrol one.
  if (user._count.mfaFactors === 0 && (await roleRequiresMfa(user.role))) principal.mfaSetupRequired = true;
  return { ok: true, principal };
}

/**
 * Whether a session may still be used, as next-auth's jwt callback asks on
 * every session read: the user exists, is enabled, and the epoch has not
 * moved (sign-out, disable, role or password change move it).
 */
export async function sessionIsCurrent(claims: SessionClaims): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: claims.uid }, select: { disabled: true, sessionEpoch: true } });
  if (!user || user.disabled || user.sessionEpoch !== claims.epoch) return false;
  return !claims.sid || consoleSessionIsLive(claims.sid, claims.uid, claims.epoch);
}

/**
 * Signing out: ends this session's record (a copy of the cookie dies with
 * it). A cookie without a record (issued before records existed) ends every
 * session of the user by making its epoch stale. Only a current session can
 * do so: a stale copied cookie cannot sign the user out elsewhere.
 */
export async function revokeSessions(claims: SessionClaims): Promise<boolean> {
  if (claims.sid) {
    const user = await prisma.user.findUnique({ where: { id: claims.uid }, select: { sessionEpoch: true } });
    if (!user || user.sessionEpoch !== claims.epoch) return false;
    return revokeConsoleSession(claims.sid, claims.uid);
  }
  const { count } = await prisma.user.updateMany({
    where: { id: claims.uid, sessionEpoch: claims.epoch },
    data: { sessionEpoch: { increment: 1 } },
  });
  return count > 0;
}
