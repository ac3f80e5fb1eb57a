// next-auth configuration: credentials (username + password), JWT sessions
// with an idle timeout (maxAge, renewed on activity) and an absolute
// lifetime (authTime, checked in principalFromClaims).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { writeAuditEvent } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { accountId } from "@/lib/settings/account";
import { safeRedirectUrl } from "@/lib/auth/callback-path";
import { createPending } from "@/lib/auth/mfa/pending";
import { userPrincipal } from "@/lib/auth/principal";
import { secondFactorProvider } from "./second-factor-provider";
import { checkCredentials, HIDDEN_USER_NAME } from "@/lib/auth/sign-in";
import { oidcSettings } from "@/lib/auth/sso";
import { isRefusedSsoUser, oidcProvider } from "./sso-sign-in";
import { SSO_REFUSED_ERROR } from "@/lib/auth/sso-refusals";
import { completeSignIn, requestFacts, signInEvent, type SignedInUser } from "./sign-in-audit";
import { isSessionClaims, revokeSessions, sessionIsCurrent } from "@/lib/auth/session";

/** Thrown to the sign-in form; next-auth passes the message through as `error`. */
export const SIGN_IN_ERRORS = {
  invalid: "Invalid username or password",
  locked: "Account locked after repeated failed sign-ins. Try again later or ask an administrator to unlock it.",
} as const;

/** The password step's answer when a second factor is needed: the prefix, then the pending handle. */
export const MFA_REQUIRED_PREFIX = "MFA_REQUIRED:";

/** A session cookie that was signed out, or whose user was disabled or changed since. */
class SessionRevoked extends Error {
  override name = "SessionRevoked";
  constructor() {
    super("session revoked");
  }
}

export function authOptions(): NextAuthOptions {
  const cfg = config();
  const sso = oidcSettings();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: cfg.sessionIdleSeconds, updateAge: 0 },
    jwt: { maxAge: cfg.sessionIdleSeconds },
    pages: { signIn: "/login", error: "/login" },
    // A revoked session is routine, not an error; other next-auth errors go
    // to our log with the error only (its metadata may carry form fields).
    logger: {
      error(code, metadata) {
        const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
        if (err instanceof SessionRevoked) return void logger.info({ event: "session-refused", reason: err.message }, "session refused");
        logger.error({ code, err }, "next-auth error");
      },
      warn(code) {
        logger.warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    providers: [
      CredentialsProvider({
        name: "Keyhold",
        credentials: {
          username: { label: "Username", type: "text" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const where = requestFacts(req);
          const username = String(credentials?.username ?? "").trim();
          const password = String(credentials?.password ?? "");
          const signIn = signInEvent(where);
          if (!username || !password || username.length > 64 || password.length > 256) {
            await writeAuditEvent({ ...signIn, claimedIdentity: HIDDEN_USER_NAME, error: { name: "AuthenticationFailed", message: SIGN_IN_ERRORS.invalid } });
            throw new Error(SIGN_IN_ERRORS.invalid);
          }
          const result = await checkCredentials(username, password);
          if (!result.ok) {
            // A name that is no user is often a password typed in the wrong
            // field: it goes neither to the log nor, as CloudTrail does, to the trail.
            logger.info({ event: "sign-in-failed", ...(result.knownUser ? { username } : {}), reason: result.reason }, "sign-in failed");
            await writeAuditEvent({
              ...signIn,
              claimedIdentity: result.knownUser ? username : HIDDEN_USER_NAME,
              error: { name: result.reason === "locked" ? "AccountLocked" : "AuthenticationFailed", message: SIGN_IN_ERRORS[result.reason] },
            });
            throw new Error(SIGN_IN_ERRORS[result.reason]);
          }
          if (result.secondFactor) {
            // No session yet: the form gets a single-use handle for the second step.
            const token = await createPending(result.user.id, "signin");
            await writeAuditEvent({ ...signIn, caller: userPrincipal(await accountId(), result.user, where), response: { ConsoleLogin: "SecondFactorRequired" } });
            throw new Error(`${MFA_REQUIRED_PREFIX}${token}`);
          }
          logger.info({ event: "sign-in", username }, "signed in");
          return completeSignIn(result.user, where, "password");
        },
      }),
      secondFactorProvider(),
      // Single sign-on, when KEYHOLD_OIDC_ISSUER is set (lib/auth/sso.ts).
      ...(sso ? [oidcProvider(sso)] : []),
    ],
    events: {
      async signOut({ token }) {
        if (!isSessionClaims(token)) return;
        // The cookie is only deleted in this browser: a copy of it must die too.
        if (!(await revokeSessions(token))) return;
        const user = await prisma.user.findUnique({ where: { id: token.uid } });
        if (!user) return;
        await writeAuditEvent({
          eventSource: "signin.amazonaws.com",
          eventName: "ConsoleLogout",
          eventType: "AwsConsoleSignIn",
          via: "console",
          readOnly: false,
          caller: userPrincipal(await accountId(), user),
        }).catch((e) => logger.error({ err: e }, "could not record sign-out"));
      },
    },
    callbacks: {
      // Only back to this origin: next-auth's default takes "/\evil.example" for a path of ours.
      redirect: ({ url, baseUrl }) => safeRedirectUrl(url, baseUrl),
      // A refused single sign-on (lib/auth/sso.ts) opens no session: back to the sign-in page with the reason's code.
      signIn: ({ user }) => (isRefusedSsoUser(user) ? `/login?error=${SSO_REFUSED_ERROR}&reason=${encodeURIComponent(user.refused)}` : true),
      async jwt({ token, user }) {
        if (user) {
          const signedIn = user as unknown as SignedInUser;
          token.uid = signedIn.id;
          token.epoch = signedIn.epoch;
          token.sid = signedIn.sid;
          token.authTime = Math.floor(Date.now() / 1000);
        } else if (isSessionClaims(token) && !(await sessionIsCurrent(token))) {
          // next-auth answers "no session" and clears the cookie.
          throw new SessionRevoked();
        }
        return token;
      },
      async session({ session, token }) {
        if (isSessionClaims(token)) {
          Object.assign(session, { uid: token.uid, epoch: token.epoch, authTime: token.authTime, sid: token.sid });
        }
        return session;
      },
    },
  };
}
