// Administrators and MFA: which roles must use it, and resetting the factors
// of a user who lost theirs. Both are audited; a reset ends the user's
// sessions and needs the administrator's own fresh step-up (and, once
// approvals are merged, goes under quorum: see README "Sign-in and sessions").
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { mfaRequiredRoles, storeMfaRequiredRoles } from "@/lib/auth/mfa/required-roles";
import { requireMfaStepUp } from "@/lib/auth/mfa/step-up";
import { auditedOperation } from "@/lib/audit";
import { prisma, type Role } from "@/lib/db/client";
import { NotFoundException } from "@/lib/errors";
import { authorize, ROLES } from "@/lib/access/authorize";
import { validate } from "@/lib/access/validate";

const ADMIN_ONLY = ["ADMINISTRATOR"] as const;
const requiredRolesSchema = z.object({ roles: z.array(z.enum(ROLES)).max(ROLES.length) });
const resetSchema = z.object({ userId: z.uuid() });

async function getMfaPolicyUnaudited(caller: Principal): Promise<{ requiredRoles: Role[] }> {
  authorize(caller, "keyhold:GetMfaPolicy", ADMIN_ONLY);
  return { requiredRoles: await mfaRequiredRoles() };
}

async function setMfaPolicyUnaudited(caller: Principal, input: unknown): Promise<{ requiredRoles: Role[] }> {
  authorize(caller, "keyhold:UpdateMfaPolicy", ADMIN_ONLY);
  const { roles } = validate(requiredRolesSchema, input);
  await requireMfaStepUp(caller);
  await storeMfaRequiredRoles(roles);
  return { requiredRoles: await mfaRequiredRoles() };
}

/** A lost factor: every factor and recovery code of the user goes, and every session of theirs ends. */
async function resetUserMfaUnaudited(caller: Principal, input: unknown): Promise<{ factorsRemoved: number }> {
  authorize(caller, "keyhold:ResetUserMfa", ADMIN_ONLY);
  const { userId } = validate(resetSchema, input);
  await requireMfaStepUp(caller);
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundException(`User ${userId} does not exist`);
  const { count } = await prisma.mfaFactor.deleteMany({ where: { userId } });
  await prisma.recoveryCode.deleteMany({ where: { userId } });
  await prisma.mfaPending.deleteMany({ where: { userId } });
  await prisma.user.update({ where: { id: userId }, data: { sessionEpoch: { increment: 1 } } });
  return { factorsRemoved: count };
}

export interface UserMfaStatus {
  userId: string;
  factors: number;
}

/** How many factors each user has (the Users page's MFA column). */
async function listUserMfaUnaudited(caller: Principal): Promise<UserMfaStatus[]> {
  authorize(caller, "keyhold:ListUsers", ADMIN_ONLY);
  const rows = await prisma.mfaFactor.groupBy({ by: ["userId"], where: { confirmed: true }, _count: { _all: true } });
  return rows.map((r) => ({ userId: r.userId, factors: r._count._all }));
}

export const getMfaPolicy = auditedOperation("GetMfaPolicy", "iam.amazonaws.com", getMfaPolicyUnaudited, { readOnly: true });
export const setMfaPolicy = auditedOperation("UpdateMfaPolicy", "iam.amazonaws.com", setMfaPolicyUnaudited);
export const resetUserMfa = auditedOperation("ResetUserMfa", "iam.amazonaws.com", resetUserMfaUnaudited);
export const listUserMfa = auditedOperation("ListUserMfa", "iam.amazonaws.com", listUserMfaUnaudited, { readOnly: true });
