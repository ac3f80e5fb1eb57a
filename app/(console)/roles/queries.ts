// Server reads for the Roles page: who has each built-in role.
import "server-only";
import { authorize, ROLES } from "@/lib/access/authorize";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type Role } from "@/lib/db/client";
import type { RoleMember } from "@/components/policy/types";

export interface RoleMembers {
  byRole: Record<Role, RoleMember[]>;
  /** Users with no role: no identity policy; they act only where a key policy or grant names them. */
  noRole: RoleMember[];
}

/** Users by role, for administrators and auditors. */
export async function usersByRole(caller: Principal): Promise<RoleMembers> {
  authorize(caller, "keyhold:ListRoles", ["ADMINISTRATOR", "AUDITOR"]);
  const users = await prisma.user.findMany({ orderBy: { username: "asc" }, select: { username: true, role: true, disabled: true }, take: 5000 });
  const byRole = Object.fromEntries(ROLES.map((r) => [r, [] as RoleMember[]])) as Record<Role, RoleMember[]>;
  const noRole: RoleMember[] = [];
  for (const u of users) (u.role ? byRole[u.role] : noRole).push({ username: u.username, disabled: u.disabled });
  return { byRole, noRole };
}
