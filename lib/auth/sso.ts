// Single sign-on with an OpenID Connect identity provider (next-auth's OAuth
// provider with discovery), configured by environment:
//   KEYHOLD_OIDC_ISSUER, KEYHOLD_OIDC_CLIENT_ID, KEYHOLD_OIDC_CLIENT_SECRET,
//   KEYHOLD_OIDC_ROLE_MAP  e.g. "groups:kms-admins=Administrator,groups:kms-users=key-user"
// The first rule whose claim holds the value gives the Keyhold role; no
// matching rule, no sign-in. IdP accounts become Keyhold users on first
// sign-in (linked by issuer + subject); a local account of the same name is
// never taken over, so local accounts stay for break-glass.
// This file is the configuration; the sign-in itself (which writes audit
// events, a layer above) is lib/console/auth/sso-sign-in.ts.
import type { Role } from "@/lib/db/client";

export interface RoleRule {
  claim: string;
  value: string;
  role: Role;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  rules: RoleRule[];
}

const ROLE_NAMES: Record<string, Role> = {
  administrator: "ADMINISTRATOR",
  keyadministrator: "KEY_ADMINISTRATOR",
  keyuser: "KEY_USER",
  auditor: "AUDITOR",
};

/** "claim:value=Role" rules, comma-separated; roles as labels or slugs ("Key administrator", "key-administrator"). */
export function parseRoleMap(text: string): RoleRule[] {
  return text
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((rule) => {
      const m = /^([^:=]+):([^=]+)=(.+)$/.exec(rule);
      const role = m && ROLE_NAMES[m[3]!.toLowerCase().replace(/[\s_-]+/g, "")];
      if (!m || !role) throw new Error(`KEYHOLD_OIDC_ROLE_MAP: "${rule}" is not claim:value=Role (roles: Administrator, Key administrator, Key user, Auditor)`);
      return { claim: m[1]!.trim(), value: m[2]!.trim(), role };
    });
}

/** The SSO settings, or null when single sign-on is not configured. */
export function oidcSettings(env: Record<string, string | undefined> = process.env): OidcSettings | null {
  const issuer = env.KEYHOLD_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const clientId = env.KEYHOLD_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.KEYHOLD_OIDC_CLIENT_SECRET ?? "";
  if (!clientId || !clientSecret) throw new Error("KEYHOLD_OIDC_ISSUER needs KEYHOLD_OIDC_CLIENT_ID and KEYHOLD_OIDC_CLIENT_SECRET");
  return { issuer: issuer.replace(/\/+$/, ""), clientId, clientSecret, rules: parseRoleMap(env.KEYHOLD_OIDC_ROLE_MAP ?? "") };
}

/** The role the first matching rule gives (a claim may be a string or a list of strings). */
export function roleFromClaims(claims: Record<string, unknown>, rules: RoleRule[]): Role | null {
  for (const r of rules) {
    const v = claims[r.claim];
    if (v === r.value || (Array.isArray(v) && v.includes(r.value))) return r.role;
  }
  return null;
}
