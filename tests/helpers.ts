// Shared fixtures for integration tests against the real database.
import { randomUUID } from "node:crypto";
import { afterAll } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { operatorPrincipal, userPrincipal, type Principal } from "@/lib/auth/principal";
import { disconnectDatabase, prisma, type Role, type User } from "@/lib/db/client";
import { accountId } from "@/lib/settings/account";
import { recordSecret } from "./secret-registry";

afterAll(async () => {
  await disconnectDatabase();
});

export const uniqueName = (prefix = "user") => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function makeUser(
  role: Role | null,
  options: { password?: string; mustChangePassword?: boolean; username?: string } = {},
): Promise<{ user: User; principal: Principal; password: string }> {
  const password = options.password ?? "correct horse battery";
  recordSecret(password, "makeUser password");
  const user = await prisma.user.create({
    data: {
      username: options.username ?? uniqueName(role?.toLowerCase() ?? "norole"),
      role,
      passwordHash: await hashPassword(password),
      mustChangePassword: options.mustChangePassword ?? false,
    },
  });
  return { user, principal: userPrincipal(await accountId(), user), password };
}

export async function operator(): Promise<Principal> {
  return operatorPrincipal(await accountId());
}

export async function deleteAllUsers(): Promise<void> {
  await prisma.user.deleteMany();
}
