// Single sign-on, the sign-in itself: next-auth's OIDC provider, and the user
// an IdP account becomes (created or updated with its ConsoleLogin event, in
// one transaction). Configuration and the role map: lib/auth/sso.ts.
import { randomBytes } from "node:crypto";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { writeAuditEvent } from "@/lib/audit";
import { commitChange } from "@/lib/audit/change";
import { createConsoleSession } from "@/lib/auth/console-sessions";
import { hashPassword } from "@/lib/auth/password";
import { userPrincipal } from "@/lib/auth/principal";
import { roleFromClaims, type OidcSettings } from "@/lib/auth/sso";
import type { SsoRefusal } from "@/lib/auth/sso-refusals";
import { prisma, type User } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { accountId } from "@/lib/settings/account";
import { signInEvent, type SignedInUser } from "./sign-in-audit";

/** A Keyhold username from the IdP's claims: preferred_username, else email, else sub. */
function usernameOf(claims: Record<string, unknown>): string {
  const raw = [claims.preferred_username, claims.email, claims.sub].find((v) => typeof v === "string" && v.length > 0) as string;
  return raw.replace(/[^A-Za-z0-9._@+-]/g, "-").slice(0, 64);
}

class SsoRefused extends Error {
  override name = "SsoRefused";
  constructor(
    readonly reason: SsoRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** What profile() answers for a refused sign-in: the signIn callback (options.ts) sends the browser to the sign-in page with the reason. */
export interface RefusedSsoUser {
  id: "sso-refused";
  refused: SsoRefusal;
}

export function isRefusedSsoUser(user: unknown): user is RefusedSsoUser {
  return typeof (user as RefusedSsoUser | null)?.refused === "string";
}

/** Finds or creates the linked user, keeps their role in step with the IdP, and opens a session. */
async function ssoUser(settings: OidcSettings, claims: Record<string, unknown>): Promise<User> {
  const sub = String(claims.sub ?? "");
  if (!sub) throw new SsoRefused("no-subject", "The identity provider sent no subject");
  const subject = `${settings.issuer} ${sub}`;
  const role = roleFromClaims(claims, settings.rules);
  const linked = await prisma.user.findUnique({ where: { ssoSubject: subject } });
  if (linked) {
    if (linked.disabled) throw new SsoRefused("disabled", "This user is disabled");
    if (!role) throw new SsoRefused("no-role", "Your groups give you no Keyhold role");
    // The IdP is the source of the role: a change there ends the user's other sessions, as a role change here does.
    return linked.role === role ? linked : prisma.user.update({ where: { id: linked.id }, data: { role, sessionEpoch: { increment: 1 } } });
  }
  if (!role) throw new SsoRefused("no-role", "Your groups give you no Keyhold role");
  const username = usernameOf(claims);
  if (await prisma.user.findUnique({ where: { username } })) throw new SsoRefused("local-user", `A local user named ${username} exists: it is not taken over by single sign-on`);
  // No password anybody knows: the account signs in only through the IdP.
  return prisma.user.create({ data: { username, role, ssoSubject: subject, passwordHash: await hashPassword(randomBytes(32).toString("base64")) } });
}

export async function completeSsoSignIn(settings: OidcSettings, claims: Record<string, unknown>): Promise<SignedInUser> {
  const event = signInEvent({});
  try {
    // A user created or changed here commits with its ConsoleLogin event, or neither does.
    const user = await commitChange(
      async () => {
        const u = await ssoUser(settings, claims);
        await writeAuditEvent({ ...event, caller: userPrincipal(await accountId(), u), response: { ConsoleLogin: "Success", identityProvider: settings.issuer, MFAUsed: "IdP" } });
        return u;
      },
      async () => null,
    );
    const sid = await createConsoleSession(user, { method: "sso" });
    logger.info({ event: "sign-in", username: user.username, sso: settings.issuer }, "signed in");
    return { id: user.id, name: user.username, epoch: user.sessionEpoch, sid };
  } catch (e) {
    const message = e instanceof SsoRefused ? e.message : "Single sign-on failed";
    if (!(e instanceof SsoRefused)) logger.error({ err: e }, "single sign-on failed");
    await writeAuditEvent({ ...event, claimedIdentity: usernameOf(claims), request: { identityProvider: settings.issuer }, error: { name: "AuthenticationFailed", message } });
    throw e;
  }
}

/** next-auth's provider for the IdP ("oidc"): discovery, PKCE + state, claims from the verified ID token (the role-map claims must be in it). */
export function oidcProvider(settings: OidcSettings): OAuthConfig<Record<string, unknown>> {
  return {
    id: "oidc",
    name: "Single sign-on",
    type: "oauth",
    wellKnown: `${settings.issuer}/.well-known/openid-configuration`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: "openid profile email groups" } },
    checks: ["pkce", "state"],
    idToken: true,
    // A refusal (recorded by completeSsoSignIn) becomes a marker, not an error: next-auth would
    // otherwise send the browser back to the sign-in page with no word of why.
    async profile(claims) {
      try {
        return await completeSsoSignIn(settings, claims);
      } catch (e) {
        return { id: "sso-refused", refused: e instanceof SsoRefused ? e.reason : "failed" } satisfies RefusedSsoUser;
      }
    },
  };
}
