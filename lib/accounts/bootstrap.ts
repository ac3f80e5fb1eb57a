// First start: with no users at all, create the administrator. Its password
// is KEYHOLD_ADMIN_PASSWORD or a generated one that must be changed at the
// first sign-in. No default or well-known password exists.
import { audited } from "@/lib/audit";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { operatorPrincipal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { accountId } from "@/lib/settings/account";

export interface BootstrapResult {
  created: boolean;
  username: string;
  /** Only when generated: shown once to the operator, never stored in clear. */
  generatedPassword?: string;
}

export async function ensureFirstAdministrator(username: string, password?: string): Promise<BootstrapResult> {
  if ((await prisma.user.count()) > 0) return { created: false, username };
  const generatedPassword = password ? undefined : generatePassword();
  const passwordHash = await hashPassword(password ?? generatedPassword!);
  // Recorded like any CreateUser, by the account root on the host, in one
  // transaction with the new row. createMany + skipDuplicates: two instances
  // starting together create one admin.
  const { created } = await audited(
    {
      eventName: "CreateUser",
      eventSource: "iam.amazonaws.com",
      caller: operatorPrincipal(await accountId()),
      via: "cli",
      request: { username, role: "ADMINISTRATOR", firstAdministrator: true },
    },
    async () => {
      const { count } = await prisma.user.createMany({
        data: [{ username, role: "ADMINISTRATOR", passwordHash, mustChangePassword: !password }],
        skipDuplicates: true,
      });
      return { created: count === 1 };
    },
  );
  return created ? { created: true, username, generatedPassword } : { created: false, username };
}
