// next-auth configuration: credentials (username + password), JWT sessions
// with an idle timeout (maxAge, renewed on activity) and an absolute
// lifetime (authTime, checked in principalFromClaims).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { logger } from "@/lib/log";
import { checkCredentials } from "./sign-in";
import { isSessionClaims } from "./session";

/** Thrown to the sign-in form; next-auth passes the message through as `error`. */
export const SIGN_IN_ERRORS = {
  invalid: "Invalid username or password",
  locked: "Account locked after repeated failed sign-ins. Try again later or ask an administrator to unlock it.",
} as const;

export function authOptions(): NextAuthOptions {
  const cfg = config();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: cfg.sessionIdleSeconds, updateAge: 0 },
    jwt: { maxAge: cfg.sessionIdleSeconds },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Keyhold",
        credentials: {
          username: { label: "Username", type: "text" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials) {
          const username = String(credentials?.username ?? "").trim();
          const password = String(credentials?.password ?? "");
          if (!username || !password || username.length > 64 || password.length > 256) {
            throw new Error(SIGN_IN_ERRORS.invalid);
          }
          const result = await checkCredentials(username, password);
          if (!result.ok) {
            logger.info({ event: "sign-in-failed", username, reason: result.reason }, "sign-in failed");
            throw new Error(SIGN_IN_ERRORS[result.reason]);
          }
          logger.info({ event: "sign-in", username }, "signed in");
          return {
            id: result.user.id,
            name: result.user.username,
            epoch: result.user.sessionEpoch,
          } as { id: string; name: string; epoch: number };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.epoch = (user as unknown as { epoch: number }).epoch;
          token.authTime = Math.floor(Date.now() / 1000);
        }
        return token;
      },
      async session({ session, token }) {
        if (isSessionClaims(token)) {
          Object.assign(session, { uid: token.uid, epoch: token.epoch, authTime: token.authTime });
        }
        return session;
      },
    },
  };
}
