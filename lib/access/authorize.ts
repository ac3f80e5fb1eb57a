// Role gates for console and operator operations. The policy issue replaces
// these with identity policies; callers already name the action they need.
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/db/client";
import { AccessDeniedException } from "@/lib/errors";

export const ROLES = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = {
  ADMINISTRATOR: "Administrator",
  KEY_ADMINISTRATOR: "Key administrator",
  KEY_USER: "Key user",
  AUDITOR: "Auditor",
};

/** The CLI spells roles as `key-administrator`; the database as `KEY_ADMINISTRATOR`. */
export function parseRoleName(name: string): Role | undefined {
  const normalized = name.trim().toUpperCase().replace(/-/g, "_");
  return (ROLES as readonly string[]).includes(normalized) ? (normalized as Role) : undefined;
}

export function roleSlug(role: Role): string {
  return role.toLowerCase().replace(/_/g, "-");
}

/**
 * Every operation first calls this. Users who must change their password may
 * do nothing else; others need one of the allowed roles.
 */
export function authorize(caller: Principal, action: string, allowed: readonly Role[]): void {
  if (caller.mustChangePassword) {
    throw new AccessDeniedException(`You must change your password before you can perform ${action}.`);
  }
  if (caller.mfaSetupRequired) {
    throw new AccessDeniedException(`Your role requires multi-factor authentication: set up an authenticator app or a passkey before you can perform ${action}.`);
  }
  if (!caller.role || !allowed.includes(caller.role)) {
    throw new AccessDeniedException(
      `User: ${caller.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
    );
  }
}
