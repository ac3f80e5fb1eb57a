// Custom roles: identity policies with their own JSON, assigned to users in
// addition to (or instead of) a built-in role. A user's identity policies are
// the built-in role's policy (if any) plus the custom role's (if any).
//
// Custom roles grant kms: actions only. Console page gates and keyhold:
// operations (users, settings, audit trail) are decided by the built-in role
// (lib/access/authorize), so a custom role can never make someone an
// administrator or an auditor.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { auditedOperation } from "@/lib/audit";
import { prisma, type CustomRole } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/status";
import { AlreadyExistsException, NotFoundException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { parsePolicy } from "@/lib/policy/document";
import { accessKeyChanged } from "./access-keys";
import { authorize } from "@/lib/access/authorize";
import { userIdSchema } from "@/lib/access/schemas";
import { validate } from "@/lib/access/validate";

const ADMIN_ONLY = ["ADMINISTRATOR"] as const;
/** Reading custom roles is as reading the Roles page: administrators and auditors. */
const READERS = ["ADMINISTRATOR", "AUDITOR"] as const;

export const CUSTOM_ROLE_POLICY_MAX = 32_768;

export const customRoleNameSchema = z
  .string()
  .trim()
  .min(1, "Role name is required")
  .max(64, "Role name must be at most 64 characters")
  .regex(/^[A-Za-z0-9+=,.@_-]+$/, "Role name may contain only letters, digits and + = , . @ _ -");

const descriptionSchema = z.string().trim().max(1000, "Description must be at most 1000 characters");
const policyTextSchema = z
  .string()
  .min(1, "Policy is required")
  .max(CUSTOM_ROLE_POLICY_MAX, `Policy must be at most ${CUSTOM_ROLE_POLICY_MAX} characters`);
const customRoleIdSchema = z.uuid("Unknown custom role");

const createSchema = z.object({ name: customRoleNameSchema, description: descriptionSchema.default(""), policy: policyTextSchema });
const updateSchema = z.object({
  customRoleId: customRoleIdSchema,
  name: customRoleNameSchema.optional(),
  description: descriptionSchema.optional(),
  policy: policyTextSchema.optional(),
});
const deleteSchema = z.object({ customRoleId: customRoleIdSchema });
const assignSchema = z.object({ userId: userIdSchema, customRoleId: customRoleIdSchema.nullable() });

export interface CustomRoleMember {
  id: string;
  username: string;
  disabled: boolean;
}

export interface CustomRoleSummary {
  id: string;
  name: string;
  description: string;
  policy: string;
  members: CustomRoleMember[];
  createdAt: string;
  updatedAt: string;
}

function summarize(role: CustomRole, members: CustomRoleMember[]): CustomRoleSummary {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    policy: role.policy,
    members,
    createdAt: role.createdAt.toISOString(),
    updatedAt: role.updatedAt.toISOString(),
  };
}

const MEMBER_SELECT = { id: true, username: true, disabled: true } as const;

/** Throws MalformedPolicyDocumentException with the exact problem. */
function checkPolicy(text: string): void {
  parsePolicy(text, { kind: "identity" });
}

async function findRole(customRoleId: string): Promise<CustomRole> {
  const role = await prisma.customRole.findUnique({ where: { id: customRoleId } });
  if (!role) throw new NotFoundException(`Custom role ${customRoleId} does not exist`);
  return role;
}

function duplicate(e: unknown, name: string | undefined): never {
  if (isUniqueViolation(e)) throw new AlreadyExistsException(`A custom role named ${name} already exists`);
  throw e;
}

async function listCustomRolesUnaudited(caller: Principal): Promise<CustomRoleSummary[]> {
  authorize(caller, "keyhold:ListRoles", READERS);
  const roles = await prisma.customRole.findMany({
    orderBy: { name: "asc" },
    include: { users: { select: MEMBER_SELECT, orderBy: { username: "asc" } } },
  });
  return roles.map(({ users, ...role }) => summarize(role, users));
}

async function createCustomRoleUnaudited(caller: Principal, input: unknown): Promise<CustomRoleSummary> {
  authorize(caller, "keyhold:CreateRole", ADMIN_ONLY);
  const { name, description, policy } = validate(createSchema, input);
  checkPolicy(policy);
  try {
    const role = await prisma.customRole.create({ data: { id: randomUUID(), name, description, policy } });
    logger.info({ event: "custom-role-created", by: caller.arn, name }, "custom role created");
    return summarize(role, []);
  } catch (e) {
    return duplicate(e, name);
  }
}

async function updateCustomRoleUnaudited(caller: Principal, input: unknown): Promise<CustomRoleSummary> {
  authorize(caller, "keyhold:UpdateRole", ADMIN_ONLY);
  const { customRoleId, name, description, policy } = validate(updateSchema, input);
  if (policy !== undefined) checkPolicy(policy);
  await findRole(customRoleId);
  try {
    const role = await prisma.customRole.update({
      where: { id: customRoleId },
      data: { name, description, policy },
      include: { users: { select: MEMBER_SELECT, orderBy: { username: "asc" } } },
    });
    accessKeyChanged(); // API credentials carry the old policy: refresh them
    logger.info({ event: "custom-role-updated", by: caller.arn, name: role.name }, "custom role updated");
    const { users, ...rest } = role;
    return summarize(rest, users);
  } catch (e) {
    return duplicate(e, name);
  }
}

/** Deletes a custom role; its members lose it (the foreign key sets null). */
async function deleteCustomRoleUnaudited(caller: Principal, input: unknown): Promise<{ unassigned: number }> {
  authorize(caller, "keyhold:DeleteRole", ADMIN_ONLY);
  const { customRoleId } = validate(deleteSchema, input);
  const role = await findRole(customRoleId);
  const unassigned = await prisma.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { customRoleId }, data: { customRoleId: null } });
    await tx.customRole.delete({ where: { id: customRoleId } });
    return count;
  });
  accessKeyChanged();
  logger.info({ event: "custom-role-deleted", by: caller.arn, name: role.name, unassigned }, "custom role deleted");
  return { unassigned };
}

/** Gives a user a custom role (replacing any other), or removes it with customRoleId null. */
async function setUserCustomRoleUnaudited(
  caller: Principal,
  input: unknown,
): Promise<{ userId: string; username: string; customRoleId: string | null }> {
  authorize(caller, "keyhold:UpdateUser", ADMIN_ONLY);
  const { userId, customRoleId } = validate(assignSchema, input);
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, customRoleId: true } });
  if (!user) throw new NotFoundException(`User ${userId} does not exist`);
  if (customRoleId) await findRole(customRoleId);
  // A new role ends the user's console sessions: they sign in again under it.
  const data = customRoleId !== user.customRoleId ? { customRoleId, sessionEpoch: { increment: 1 } } : { customRoleId };
  const updated = await prisma.user.update({ where: { id: userId }, data, select: { id: true, username: true, customRoleId: true } });
  accessKeyChanged(); // API credentials carry the custom policy: refresh them
  logger.info({ event: "user-custom-role-changed", by: caller.arn, username: updated.username, customRoleId }, "custom role changed");
  return { userId: updated.id, username: updated.username, customRoleId: updated.customRoleId };
}

// Audited as IAM-shaped events, like the other user operations.
export const listCustomRoles = auditedOperation("ListRoles", "iam.amazonaws.com", listCustomRolesUnaudited, { readOnly: true });
export const createCustomRole = auditedOperation("CreateRole", "iam.amazonaws.com", createCustomRoleUnaudited);
export const updateCustomRole = auditedOperation("UpdateRole", "iam.amazonaws.com", updateCustomRoleUnaudited);
export const deleteCustomRole = auditedOperation("DeleteRole", "iam.amazonaws.com", deleteCustomRoleUnaudited);
export const setUserCustomRole = auditedOperation("UpdateUserCustomRole", "iam.amazonaws.com", setUserCustomRoleUnaudited);
