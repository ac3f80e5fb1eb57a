// next-auth's second sign-in step: a credentials provider ("mfa") that takes
// the pending handle from the password step plus a TOTP code, recovery code
// or passkey assertion. Every failure is recorded (never the code).
import CredentialsProvider from "next-auth/providers/credentials";
import { writeAuditEvent } from "@/lib/audit";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { logger } from "@/lib/log";
import { accountId } from "@/lib/settings/account";
import { completeSecondStep, SECOND_STEP_ERRORS } from "@/lib/auth/mfa/sign-in-step";
import { relyingParty } from "@/lib/auth/mfa/webauthn";
import { userPrincipal } from "@/lib/auth/principal";
import { HIDDEN_USER_NAME } from "@/lib/auth/sign-in";
import { completeSignIn, requestFacts, signInEvent } from "./sign-in-audit";

export function secondFactorProvider() {
  return CredentialsProvider({
    id: "mfa",
    name: "Second factor",
    credentials: {
      mfaToken: { label: "Sign-in handle", type: "text" },
      method: { label: "Method", type: "text" },
      code: { label: "Code", type: "text" },
      assertion: { label: "Passkey assertion", type: "text" },
    },
    async authorize(credentials, req) {
      const where = requestFacts(req);
      const origin = (req?.headers as Record<string, string | undefined> | undefined)?.origin;
      const result = await completeSecondStep(await rootKeyStore(), relyingParty(origin), {
        mfaToken: credentials?.mfaToken,
        method: credentials?.method,
        code: credentials?.code,
        assertion: credentials?.assertion,
      });
      if (!result.ok) {
        logger.info({ event: "second-factor-failed", ...(result.user ? { username: result.user.username } : {}), reason: result.reason }, "second factor failed");
        await writeAuditEvent({
          ...signInEvent(where, "CheckMfa"),
          ...(result.user ? { caller: userPrincipal(await accountId(), result.user, where) } : { claimedIdentity: HIDDEN_USER_NAME }),
          request: { method: result.method ?? String(credentials?.method ?? "").slice(0, 16) },
          error: { name: result.reason === "locked" ? "AccountLocked" : "AuthenticationFailed", message: SECOND_STEP_ERRORS[result.reason] },
        });
        throw new Error(SECOND_STEP_ERRORS[result.reason]);
      }
      logger.info({ event: "sign-in", username: result.user.username, mfa: result.method }, "signed in");
      return completeSignIn(result.user, where, "mfa", { mfaMethod: result.method });
    },
  });
}
