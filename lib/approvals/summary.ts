// What a held request will change, for its approvers: the key and its state
// now, the policy before and after, the rule before and after. Read inside
// the request's transaction, so it describes the state the request saw.
import { mfaRequiredRoles } from "@/lib/auth/mfa/required-roles";
import { prisma } from "@/lib/db/client";
import { readRuntimeSettings } from "@/lib/settings/runtime";
import { summarizeHostOperation } from "./host-operations";
import { isHostOperation, POLICY_OPERATION } from "./operations";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function keyNow(keyRef: unknown) {
  if (typeof keyRef !== "string") return {};
  // Aliases are resolved by the dry run (keyArns); here only key IDs and ARNs.
  let id = keyRef.match(UUID)?.[0];
  if (!id && keyRef.startsWith("alias/")) id = (await prisma.alias.findFirst({ where: { name: keyRef } }))?.keyId;
  if (!id) return {};
  const key = await prisma.kmsKey.findUnique({ where: { id }, select: { id: true, keyState: true, policy: true, description: true } });
  return key ? { keyId: key.id, keyStateBefore: key.keyState, description: key.description, policyBefore: key.policy } : {};
}

// A malformed ID is left to the dry run to refuse (a failed query would abort the transaction).
const uuidOrUndefined = (v: unknown) => (typeof v === "string" && v.length === 36 && UUID.test(v) ? v : undefined);

async function userNow(userId: unknown) {
  const id = uuidOrUndefined(userId);
  return id ? prisma.user.findUnique({ where: { id }, select: { username: true, role: true, disabled: true, customRole: { select: { name: true } } } }) : null;
}

async function customRoleName(customRoleId: unknown): Promise<string | null> {
  const id = uuidOrUndefined(customRoleId);
  return id ? ((await prisma.customRole.findUnique({ where: { id }, select: { name: true } }))?.name ?? null) : null;
}

/** The account changes added with issue 12's second round: each says exactly what will change. */
async function summarizeAccountChange(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  if (operation === "UpdateUserStatus") {
    const user = await userNow(input.userId);
    return { username: user?.username ?? null, role: user?.role ?? null, disabledBefore: user?.disabled ?? null, disabledAfter: input.disabled ?? null };
  }
  if (operation === "UpdateUserCustomRole") {
    const user = await userNow(input.userId);
    return { username: user?.username ?? null, role: user?.role ?? null, customRoleBefore: user?.customRole?.name ?? null, customRoleAfter: await customRoleName(input.customRoleId) };
  }
  if (operation === "UpdateMfaPolicy") {
    const after = Array.isArray(input.roles) ? [...new Set(input.roles)].sort() : null;
    return { mfaRequiredRolesBefore: await mfaRequiredRoles(), mfaRequiredRolesAfter: after };
  }
  if (operation === "CreateAdministrator") {
    return { username: input.username ?? null, role: input.role ?? null, serviceAccount: input.serviceAccount === true };
  }
  return null;
}

export async function summarizeChange(operation: string, rawInput: unknown): Promise<Record<string, unknown>> {
  const input = (rawInput ?? {}) as Record<string, unknown>;
  if (isHostOperation(operation)) return summarizeHostOperation(operation, input);
  const account = await summarizeAccountChange(operation, input);
  if (account) return account;
  if (operation === POLICY_OPERATION) {
    const before = typeof input.operation === "string" ? await prisma.approvalRule.findUnique({ where: { operation: input.operation } }) : null;
    return { ruleBefore: before ? { approvals: before.approvals, approverRole: before.approverRole, ttlSeconds: before.ttlSeconds } : null, ruleAfter: input };
  }
  if (operation === "UpdateUserRole" || operation === "ResetUserPassword" || operation === "ResetUserMfa") {
    // A malformed ID is left to the dry run to refuse (a failed query would abort the transaction).
    const id = typeof input.userId === "string" && UUID.test(input.userId) && input.userId.length === 36 ? input.userId : undefined;
    const user = id ? await prisma.user.findUnique({ where: { id }, select: { username: true, role: true } }) : null;
    if (operation !== "UpdateUserRole") return { username: user?.username ?? null, role: user?.role ?? null };
    return { username: user?.username ?? null, roleBefore: user?.role ?? null, roleAfter: input.role ?? null };
  }
  if (operation === "CreateAccessKey") {
    const username = typeof input.username === "string" ? input.username : null;
    const user = username ? await prisma.user.findUnique({ where: { username }, select: { role: true } }) : null;
    return { username, role: user?.role ?? null };
  }
  if (operation === "UpdateAuditRetention") {
    return { auditRetentionDaysBefore: (await readRuntimeSettings()).auditRetentionDays.value, auditRetentionDaysAfter: input.auditRetentionDays ?? null };
  }
  if (typeof input.CustomKeyStoreId === "string") {
    const store = await prisma.customKeyStore.findUnique({ where: { id: input.CustomKeyStoreId }, select: { name: true, clusterId: true, connectionState: true } });
    return store ? { customKeyStoreName: store.name, cloudHsmClusterId: store.clusterId, connectionStateBefore: store.connectionState } : {};
  }
  if (operation === "CreateCustomKeyStore") return { customKeyStoreName: input.CustomKeyStoreName ?? null, cloudHsmClusterId: input.CloudHsmClusterId ?? null };
  const { policyBefore, ...key } = await keyNow(input.KeyId);
  if (operation === "PutKeyPolicy") return { ...key, policyBefore: policyBefore ?? null, policyAfter: input.Policy ?? null };
  if (operation === "ScheduleKeyDeletion") return { ...key, pendingWindowInDays: input.PendingWindowInDays ?? 30 };
  return key;
}
