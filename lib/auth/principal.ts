// The caller of every service-layer operation, whichever door it came in by.
import type { Role } from "@/lib/db/client";

export type PrincipalKind = "user" | "operator";

export interface Principal {
  kind: PrincipalKind;
  /** Database ID of the user; absent for the local operator (CLI). */
  userId?: string;
  username: string;
  role: Role | null;
  /**
   * The identity-policy JSON of the user's custom role, if any: added to the
   * built-in role's policy for kms: actions (the key pages follow it; other
   * console page gates use `role` only).
   */
  customPolicy?: string;
  /** The custom role's name (names its policy in decisions). */
  customRoleName?: string;
  accountId: string;
  arn: string;
  mustChangePassword: boolean;
  sourceIp?: string;
  userAgent?: string;
  /** The user's tags (aws:PrincipalTag/<key>). */
  tags?: Record<string, string>;
  /** Whether the request reached Keyhold over TLS (aws:SecureTransport). */
  secureTransport?: boolean;
  /** The console session record the request came with (step-up is recorded on it). */
  sessionId?: string;
  /** The user's role requires MFA and they have no factor yet: they may only enrol one. */
  mfaSetupRequired?: boolean;
}

export function userArn(accountId: string, username: string): string {
  return `arn:aws:iam::${accountId}:user/${username}`;
}

/** A stored tag object as a string map (anything else: none). */
function tagMap(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string");
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export function userPrincipal(
  accountId: string,
  user: {
    id: string;
    username: string;
    role: Role | null;
    mustChangePassword: boolean;
    /** Loaded with `include: { customRole: true }` where the caller has the row. */
    customRole?: { name: string; policy: string } | null;
    tags?: unknown;
  },
  request: { sourceIp?: string; userAgent?: string; secureTransport?: boolean } = {},
): Principal {
  return {
    kind: "user",
    userId: user.id,
    username: user.username,
    role: user.role,
    ...(user.customRole ? { customPolicy: user.customRole.policy, customRoleName: user.customRole.name } : {}),
    ...(tagMap(user.tags) ? { tags: tagMap(user.tags) } : {}),
    accountId,
    arn: userArn(accountId, user.username),
    mustChangePassword: user.mustChangePassword,
    ...request,
  };
}

/**
 * The operator at the machine (the `keyhold` CLI through the admin socket or
 * directly on the database). Whoever can reach the data folder or the
 * database already controls the installation, so this is the account root.
 */
export function operatorPrincipal(accountId: string): Principal {
  return {
    kind: "operator",
    username: "operator",
    role: "ADMINISTRATOR",
    accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    mustChangePassword: false,
  };
}
