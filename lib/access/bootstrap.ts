// First start: with no users at all, create the administrator. Its password
// is KEYHOLD_ADMIN_PASSWORD or a generated one that must be changed at the
// first sign-in. No default or well-known password exists.
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/client";

export interface BootstrapResult {
  created: boolean;
  username: string;
  /** Only when generated: shown once to the operator, never stored in clear. */
  generatedPassword?: string;
}

export async function ensureFirstAdministrator(username: string, password?: string): Promise<BootstrapResult> {
  if ((await prisma.user.count()) > 0) return { created: false, username };
  const generatedPassword = password ? undefined : generatePassword();
  // createMany + skipDuplicates: two instances starting together create one admin.
  const { count } = await prisma.user.createMany({
    data: [
      {
        username,
        role: "ADMINISTRATOR",
        passwordHash: await hashPassword(password ?? generatedPassword!),
        mustChangePassword: !password,
      },
    ],
    skipDuplicates: true,
  });
  return count === 1 ? { created: true, username, generatedPassword } : { created: false, username };
}
