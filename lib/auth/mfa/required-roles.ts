// Which roles must use a second factor (set by administrators, stored as a
// Setting). A user of such a role without MFA can do nothing but enrol one.
import { prisma, type Role } from "@/lib/db/client";

const KEY = "mfa_required_roles";

export async function mfaRequiredRoles(): Promise<Role[]> {
  const row = await prisma.setting.findUnique({ where: { key: KEY } });
  if (!row) return [];
  try {
    const value = JSON.parse(row.value) as unknown;
    return Array.isArray(value) ? (value.filter((v) => typeof v === "string") as Role[]) : [];
  } catch {
    return [];
  }
}

export async function storeMfaRequiredRoles(roles: Role[]): Promise<void> {
  const value = JSON.stringify([...new Set(roles)].sort());
  await prisma.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
}

export async function roleRequiresMfa(role: Role | null): Promise<boolean> {
  return !!role && (await mfaRequiredRoles()).includes(role);
}
