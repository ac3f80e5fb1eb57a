// User management operations: (caller, input) → result, authorized here so
// that the console, the CLI and any future door share one set of rules.
import type { Principal } from "@/lib/auth/principal";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { prisma, type Role, type User } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/status";
import { AlreadyExistsException, NotFoundException, ValidationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { accessKeyChanged } from "./access-keys";
import { auditedOperation } from "@/lib/audit";
import { authorize } from "@/lib/access/authorize";
import {
  changeOwnPasswordSchema,
  createUserSchema,
  resetPasswordSchema,
  setDisabledSchema,
  setRoleSchema,
  unlockSchema,
  userTagsSchema,
} from "@/lib/access/schemas";
import { validate } from "@/lib/access/validate";

const ADMIN_ONLY = ["ADMINISTRATOR"] as const;

export interface UserSummary {
  id: string;
  username: string;
  role: Role | null;
  disabled: boolean;
  locked: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  serviceAccount: boolean;
  tags: Record<string, string>;
  lastSignInAt: string | null;
  createdAt: string;
}

export function summarize(user: User, now = new Date()): UserSummary {
  const locked = !!user.lockedUntil && user.lockedUntil > now;
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    disabled: user.disabled,
    locked,
    lockedUntil: locked ? user.lockedUntil!.toISOString() : null,
    mustChangePassword: user.mustChangePassword,
    serviceAccount: user.serviceAccount,
    tags: (user.tags ?? {}) as Record<string, string>,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

async function findUser(userId: string): Promise<User> {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundException(`User ${userId} does not exist`);
  return user;
}

/** Refuses a change that would leave no enabled administrator (nobody could manage users again). */
async function assertAnotherAdminRemains(user: User): Promise<void> {
  if (user.role !== "ADMINISTRATOR" || user.disabled) return;
  const others = await prisma.user.count({
    where: { role: "ADMINISTRATOR", disabled: false, id: { not: user.id } },
  });
  if (others === 0) {
    throw new ValidationException(
      `${user.username} is the only enabled administrator; make another user an administrator first`,
    );
  }
}

async function listUsersUnaudited(caller: Principal): Promise<UserSummary[]> {
  authorize(caller, "keyhold:ListUsers", ADMIN_ONLY);
  const users = await prisma.user.findMany({ orderBy: { username: "asc" } });
  return users.map((u) => summarize(u));
}

async function createUserUnaudited(
  caller: Principal,
  input: unknown,
): Promise<{ user: UserSummary; generatedPassword?: string }> {
  authorize(caller, "keyhold:CreateUser", ADMIN_ONLY);
  const { username, role, password, mustChangePassword, serviceAccount } = validate(createUserSchema, input);
  const generatedPassword = password || serviceAccount ? undefined : generatePassword();
  try {
    const user = await prisma.user.create({
      data: {
        username,
        role,
        // A service account's hash is of a random value that is never shown: no password exists.
        passwordHash: await hashPassword(password ?? generatedPassword ?? generatePassword()),
        // A generated password has been seen by whoever created it.
        mustChangePassword: serviceAccount ? false : generatedPassword ? true : mustChangePassword,
        serviceAccount,
      },
    });
    logger.info({ event: "user-created", by: caller.arn, username, role, serviceAccount }, "user created");
    return { user: summarize(user), generatedPassword };
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new AlreadyExistsException(`A user named ${username} already exists`);
    }
    throw e;
  }
}

async function setUserRoleUnaudited(caller: Principal, input: unknown): Promise<UserSummary> {
  authorize(caller, "keyhold:UpdateUser", ADMIN_ONLY);
  const { userId, role } = validate(setRoleSchema, input);
  const user = await findUser(userId);
  if (role !== "ADMINISTRATOR") await assertAnotherAdminRemains(user);
  // A new role ends the user's console sessions: they sign in again under it.
  const updated = await prisma.user.update({ where: { id: userId }, data: role !== user.role ? { role, sessionEpoch: { increment: 1 } } : { role } });
  accessKeyChanged(); // API credentials carry the role: refresh them
  logger.info({ event: "user-role-changed", by: caller.arn, username: user.username, role }, "role changed");
  return summarize(updated);
}

async function setUserDisabledUnaudited(caller: Principal, input: unknown): Promise<UserSummary> {
  authorize(caller, "keyhold:UpdateUser", ADMIN_ONLY);
  const { userId, disabled } = validate(setDisabledSchema, input);
  const user = await findUser(userId);
  if (disabled) {
    if (user.id === caller.userId) throw new ValidationException("You cannot disable your own account");
    await assertAnotherAdminRemains(user);
  }
  const updated = await prisma.user.update({
    where: { id: userId },
    // Disabling ends the user's sessions at their next request.
    data: disabled ? { disabled, sessionEpoch: { increment: 1 } } : { disabled },
  });
  accessKeyChanged(); // a disabled user's access keys stop working at once
  logger.info({ event: disabled ? "user-disabled" : "user-enabled", by: caller.arn, username: user.username }, "user updated");
  return summarize(updated);
}

async function resetUserPasswordUnaudited(
  caller: Principal,
  input: unknown,
): Promise<{ user: UserSummary; generatedPassword?: string }> {
  authorize(caller, "keyhold:ResetUserPassword", ADMIN_ONLY);
  const { userId, password } = validate(resetPasswordSchema, input);
  const user = await findUser(userId);
  if (user.serviceAccount) {
    throw new ValidationException(`${user.username} is a service account: it has no password (it signs API requests with its access keys)`);
  }
  const generatedPassword = password ? undefined : generatePassword();
  const updated = await prisma.user.update({
    where: { id: user.id },
    data: {
      passwordHash: await hashPassword(password ?? generatedPassword!),
      mustChangePassword: true,
      failedSignIns: 0,
      lockedUntil: null,
      sessionEpoch: { increment: 1 },
    },
  });
  logger.info({ event: "user-password-reset", by: caller.arn, username: user.username }, "password reset");
  return { user: summarize(updated), generatedPassword };
}

async function unlockUserUnaudited(caller: Principal, input: unknown): Promise<UserSummary> {
  authorize(caller, "keyhold:UnlockUser", ADMIN_ONLY);
  const { userId } = validate(unlockSchema, input);
  const user = await findUser(userId);
  const updated = await prisma.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
  logger.info({ event: "user-unlocked", by: caller.arn, username: user.username }, "user unlocked");
  return summarize(updated);
}

/** Replaces a user's tags (their aws:PrincipalTag/* condition values). */
async function setUserTagsUnaudited(caller: Principal, input: unknown): Promise<UserSummary> {
  authorize(caller, "keyhold:TagUser", ADMIN_ONLY);
  const { userId, tags } = validate(userTagsSchema, input);
  const user = await findUser(userId);
  const updated = await prisma.user.update({ where: { id: user.id }, data: { tags } });
  accessKeyChanged(); // API credentials carry the tags: refresh them
  logger.info({ event: "user-tags-changed", by: caller.arn, username: user.username, tags: Object.keys(tags) }, "user tags changed");
  return summarize(updated);
}

/** Any signed-in user, including one who must change their password first. */
async function changeOwnPasswordUnaudited(caller: Principal, input: unknown): Promise<void> {
  if (caller.kind !== "user" || !caller.userId) throw new ValidationException("Only users have a password to change");
  const { currentPassword, newPassword } = validate(changeOwnPasswordSchema, input);
  const user = await findUser(caller.userId);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new ValidationException("The current password is not correct");
  }
  await prisma.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(newPassword), mustChangePassword: false, sessionEpoch: { increment: 1 } },
  });
  logger.info({ event: "password-changed", username: user.username }, "password changed");
}

/** Looks a user up by name (CLI convenience). */
async function findUserByNameUnaudited(caller: Principal, username: string): Promise<UserSummary> {
  authorize(caller, "keyhold:GetUser", ADMIN_ONLY);
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user) throw new NotFoundException(`User ${username} does not exist`);
  return summarize(user);
}

// Every user and credential operation is audited (IAM-shaped events).
export const listUsers = auditedOperation("ListUsers", "iam.amazonaws.com", listUsersUnaudited, { readOnly: true });
export const createUser = auditedOperation("CreateUser", "iam.amazonaws.com", createUserUnaudited);
export const setUserRole = auditedOperation("UpdateUserRole", "iam.amazonaws.com", setUserRoleUnaudited);
export const setUserDisabled = auditedOperation("UpdateUserStatus", "iam.amazonaws.com", setUserDisabledUnaudited);
export const resetUserPassword = auditedOperation("ResetUserPassword", "iam.amazonaws.com", resetUserPasswordUnaudited);
export const unlockUser = auditedOperation("UnlockUser", "iam.amazonaws.com", unlockUserUnaudited);
export const setUserTags = auditedOperation("TagUser", "iam.amazonaws.com", setUserTagsUnaudited);
export const changeOwnPassword = auditedOperation("ChangePassword", "iam.amazonaws.com", changeOwnPasswordUnaudited);
export const findUserByName = auditedOperation("GetUser", "iam.amazonaws.com", findUserByNameUnaudited, { readOnly: true });
