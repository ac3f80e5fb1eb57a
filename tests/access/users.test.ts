import { beforeEach, describe, expect, it } from "vitest";
import {
  changeOwnPassword,
  createUser,
  listUsers,
  resetUserPassword,
  setUserDisabled,
  setUserRole,
} from "@/lib/accounts/users";
import { createAccessKey } from "@/lib/accounts/access-keys";
import { ensureFirstAdministrator } from "@/lib/accounts/bootstrap";
import { credentialFor } from "@/lib/api/credentials";
import { checkCredentials, lockoutPolicy } from "@/lib/auth/sign-in";
import { verifyPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/client";
import { deleteAllUsers, makeUser, uniqueName } from "../helpers";
import { auditEvents } from "../support/audit-rows";

const fast = { ...lockoutPolicy, delayBaseMs: 0, delayMaxMs: 0 };

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string; status?: number };
  }
  throw new Error("expected the call to fail");
}

describe("user operations", () => {
  beforeEach(deleteAllUsers);

  it("creates a user with a generated password that must be changed", async () => {
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    const username = uniqueName("auditor");
    const { user, generatedPassword } = await createUser(admin, { username, role: "AUDITOR" });
    expect(user).toMatchObject({ username, role: "AUDITOR", mustChangePassword: true, disabled: false });
    expect(generatedPassword).toMatch(/^.{20}$/);
    const stored = await prisma.user.findUniqueOrThrow({ where: { username } });
    expect(stored.passwordHash).not.toContain(generatedPassword!);
    expect(await verifyPassword(generatedPassword!, stored.passwordHash)).toBe(true);
  });

  it("creates a user without a role, who may do nothing", async () => {
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    const { user } = await createUser(admin, { username: uniqueName(), password: "typed password 123" });
    expect(user.role).toBeNull();
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const { principal: nobody } = await makeUser(null);
    expect((await rejection(listUsers(nobody))).name).toBe("AccessDeniedException");
    expect(stored.mustChangePassword).toBe(true);
  });

  it("rejects duplicates and invalid input with AWS-style errors and writes nothing", async () => {
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    const username = uniqueName();
    await createUser(admin, { username, role: "KEY_USER" });
    expect(await rejection(createUser(admin, { username, role: "KEY_USER" }))).toMatchObject({
      name: "AlreadyExistsException",
    });
    const bad = await rejection(createUser(admin, { username: "has space", role: "SUPERUSER", password: "short" }));
    expect(bad.name).toBe("ValidationException");
    expect(bad.message).toMatch(/3 validation errors detected/);
    expect(bad.message).toMatch(/at least 12 characters/);
    expect(await prisma.user.count()).toBe(2);
  });

  it.each(["AUDITOR", "KEY_USER", "KEY_ADMINISTRATOR", null] as const)(
    "denies user management to role %s with a 403 AccessDeniedException",
    async (role) => {
      const { principal } = await makeUser(role);
      const { user: other } = await makeUser("KEY_USER");
      // One at a time: each change runs in its own transaction and may settle in any order.
      for (const call of [
        () => listUsers(principal),
        () => createUser(principal, { username: uniqueName() }),
        () => setUserRole(principal, { userId: other.id, role: "ADMINISTRATOR" }),
        () => setUserDisabled(principal, { userId: other.id, disabled: true }),
        () => resetUserPassword(principal, { userId: other.id }),
      ]) {
        const e = await rejection(call());
        expect(e.name).toBe("AccessDeniedException");
        expect(e.status).toBe(403);
        expect(e.message).toContain(principal.arn);
      }
      expect(await prisma.user.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ role: "KEY_USER", disabled: false });
    },
  );

  it("lets a user who must change their password do nothing else", async () => {
    const { principal } = await makeUser("ADMINISTRATOR", { mustChangePassword: true });
    expect((await rejection(listUsers(principal))).message).toMatch(/must change your password/);
  });

  it("never leaves the installation without an enabled administrator", async () => {
    const { user, principal: admin } = await makeUser("ADMINISTRATOR");
    // The only administrator can be neither demoted nor disabled.
    expect((await rejection(setUserRole(admin, { userId: user.id, role: "AUDITOR" }))).message).toMatch(/only enabled administrator/);
    expect((await rejection(setUserDisabled(admin, { userId: user.id, disabled: true }))).message).toMatch(/own account/);
    const { user: second } = await makeUser("ADMINISTRATOR");
    const { principal: secondAdmin } = await makeUser("ADMINISTRATOR", { username: "x" + second.username });
    await setUserDisabled(admin, { userId: second.id, disabled: true });
    // Now `user` and the third admin remain; demoting the third leaves `user`.
    await setUserRole(admin, { userId: secondAdmin.userId!, role: "AUDITOR" });
    expect((await rejection(setUserRole(admin, { userId: user.id, role: null }))).name).toBe("ValidationException");
    expect(await prisma.user.count({ where: { role: "ADMINISTRATOR", disabled: false } })).toBe(1);
  });

  it("resets a password: new one-time password, lockout cleared, old password refused", async () => {
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    const { user, password } = await makeUser("KEY_USER");
    for (let i = 0; i < fast.threshold; i++) await checkCredentials(user.username, "wrong", { policy: fast });
    const { generatedPassword } = await resetUserPassword(admin, { userId: user.id });
    expect((await checkCredentials(user.username, password, { policy: fast })).ok).toBe(false);
    const ok = await checkCredentials(user.username, generatedPassword!, { policy: fast });
    expect(ok.ok && ok.user.mustChangePassword).toBe(true);
  });

  it("changes one's own password only with the current one", async () => {
    const { principal, password, user } = await makeUser("AUDITOR", { mustChangePassword: true });
    expect((await rejection(changeOwnPassword(principal, { currentPassword: "nope", newPassword: "another password 1" }))).message).toMatch(
      /current password is not correct/,
    );
    expect((await rejection(changeOwnPassword(principal, { currentPassword: password, newPassword: password }))).message).toMatch(/must differ/);
    await changeOwnPassword(principal, { currentPassword: password, newPassword: "another password 1" });
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mustChangePassword).toBe(false);
    expect(stored.sessionEpoch).toBe(user.sessionEpoch + 1);
  });

  it("creates the first administrator once, with a one-time password unless one is configured", async () => {
    const first = await ensureFirstAdministrator("admin");
    expect(first).toMatchObject({ created: true, username: "admin" });
    expect(first.generatedPassword).toMatch(/^.{20}$/);
    expect(await ensureFirstAdministrator("admin")).toEqual({ created: false, username: "admin" });
    const admin = await prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
    expect(admin).toMatchObject({ role: "ADMINISTRATOR", mustChangePassword: true });
    await deleteAllUsers();
    const configured = await ensureFirstAdministrator("root-admin", "configured password 1");
    expect(configured).toEqual({ created: true, username: "root-admin", generatedPassword: undefined });
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "root-admin" } })).mustChangePassword).toBe(false);
    // Each creation is recorded, by the account root, without the password.
    const events = await auditEvents({ where: { eventName: "CreateUser" } }, '"firstAdministrator":true');
    const records = events.map((e) => JSON.parse(e.record) as { userIdentity: { type: string }; requestParameters: { username: string } });
    expect(records.map((r) => r.requestParameters.username)).toEqual(expect.arrayContaining(["admin", "root-admin"]));
    expect(records.every((r) => r.userIdentity.type === "Root")).toBe(true);
    expect(events.map((e) => e.record).join()).not.toContain("configured password 1");
  });
});

describe("service accounts", () => {
  beforeEach(deleteAllUsers);

  it("have no password and no console sign-in, and work through their access keys", async () => {
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    const name = uniqueName("app");
    const created = await createUser(admin, { username: name, role: "KEY_USER", serviceAccount: true });
    expect(created.generatedPassword).toBeUndefined();
    expect(created.user).toMatchObject({ username: name, serviceAccount: true, mustChangePassword: false });

    // No password anybody knows; and even a right guess would be refused like a wrong one.
    const row = await prisma.user.findUniqueOrThrow({ where: { username: name } });
    expect(row.serviceAccount).toBe(true);
    expect(await checkCredentials(name, "correct horse battery", { policy: fast })).toMatchObject({ ok: false, reason: "invalid" });
    expect((await rejection(resetUserPassword(admin, { userId: row.id }))).name).toBe("ValidationException");
    expect((await rejection(createUser(admin, { username: uniqueName("app"), serviceAccount: true, password: "a long enough password" }))).name).toBe(
      "ValidationException",
    );

    // Its access key authenticates API calls as the service account, with its role.
    const key = (await createAccessKey(admin, { username: name })) as { AccessKeyId: string; SecretAccessKey: string };
    const credential = await credentialFor(key.AccessKeyId);
    expect(credential.secretAccessKey).toBe(key.SecretAccessKey);
    expect(credential.principal).toMatchObject({ username: name, role: "KEY_USER", mustChangePassword: false });
  });
});
