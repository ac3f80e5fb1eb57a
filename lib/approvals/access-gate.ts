// The gate for the console's protected account changes (lib/accounts), as
// invokeKmsWithApproval is for KMS operations: when a rule protects the
// operation, the call is dry-run and held (gate.ts `hold`). Closes the way
// around quorum where one administrator resets another's password or MFA and
// then acts as them. The host's operator (CLI) is never held.
import { createAccessKey } from "@/lib/accounts/access-keys";
import { setUserCustomRole } from "@/lib/accounts/custom-roles";
import { resetUserMfa, setMfaPolicy } from "@/lib/accounts/mfa-admin";
import { checkSettingsUpdate, shortensAuditRetention, updateSettings } from "@/lib/accounts/settings";
import { createUser, resetUserPassword, setUserDisabled, setUserRole } from "@/lib/accounts/users";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import type { InvocationMeta } from "@/lib/kms/invoke";
import { hold } from "./gate";
import { ruleFor } from "./rules";

type AccessCall = (caller: Principal, input: unknown) => Promise<unknown>;

interface Protected {
  call: AccessCall;
  /** Whether this particular call is one the rule protects (default: every call). */
  applies?: (caller: Principal, input: unknown) => Promise<boolean>;
  /** The dry run, when the call itself must not run even in a rolled-back savepoint. */
  check?: AccessCall;
  /** The held call's event, when not the operation's name. */
  eventName?: string;
  /** The rule that holds it when the operation has none of its own. */
  fallbackRule?: string;
}

const field = (input: unknown, name: string): unknown => (input && typeof input === "object" ? (input as Record<string, unknown>)[name] : undefined);

/**
 * An access key is a way to act as its user: under quorum, one administrator
 * minting a key for someone else (and then requesting as them, and approving
 * their own request) must not get around it. A user's key for themself is
 * held only when they are an administrator.
 */
async function mintsCredentialToHold(caller: Principal, input: unknown): Promise<boolean> {
  const username = field(input, "username") ?? caller.username;
  if (typeof username !== "string") return false; // the call refuses it as it always does
  if (username !== caller.username) return true;
  const user = await prisma.user.findUnique({ where: { username }, select: { role: true } });
  return user?.role === "ADMINISTRATOR";
}

/** CreateUser is held only when the new user would be an administrator. */
async function createsAdministrator(_caller: Principal, input: unknown): Promise<boolean> {
  return field(input, "role") === "ADMINISTRATOR";
}

async function purgesSooner(caller: Principal, input: unknown): Promise<boolean> {
  try {
    const { patch, current } = await checkSettingsUpdate(caller, input);
    return shortensAuditRetention(patch, current);
  } catch {
    return false; // bad input or no permission: the call answers it as always
  }
}

/** What each protectable account operation calls (also on execution, execute.ts). */
const CALLS = {
  UpdateUserRole: { call: setUserRole },
  // A custom role can grant what a built-in one does: a rule on role changes holds it too.
  UpdateUserCustomRole: { call: setUserCustomRole, fallbackRule: "UpdateUserRole" },
  UpdateUserStatus: { call: setUserDisabled },
  ResetUserPassword: { call: resetUserPassword },
  ResetUserMfa: { call: resetUserMfa },
  UpdateMfaPolicy: { call: setMfaPolicy },
  CreateAdministrator: { call: createUser, applies: createsAdministrator, eventName: "CreateUser" },
  CreateAccessKey: { call: createAccessKey, applies: mintsCredentialToHold },
  // A retention set or shortened purges audit events at the next scheduled turn. The dry run only
  // checks: the settings cache must never hold a value that was rolled back.
  UpdateAuditRetention: { call: updateSettings, applies: purgesSooner, check: checkSettingsUpdate, eventName: "UpdateSettings" },
} satisfies Record<string, Protected>;

export type AccessOperation = keyof typeof CALLS;
export const ACCESS_CALLS: Readonly<Record<string, Protected | undefined>> = CALLS;

/** The account operation for the console, held for approval when a rule protects it. */
export async function invokeAccessWithApproval(operation: AccessOperation, caller: Principal, input: unknown, meta: InvocationMeta = { source: "console" }): Promise<unknown> {
  const op: Protected = CALLS[operation];
  const rule = caller.kind === "operator" ? null : ((await ruleFor(operation)) ?? (op.fallbackRule ? await ruleFor(op.fallbackRule) : null));
  if (!rule || (op.applies && !(await op.applies(caller, input)))) return op.call(caller, input);
  const tryOnce = op.check ?? op.call;
  return hold(operation, "iam.amazonaws.com", caller, input, meta, rule, () => tryOnce(caller, input), op.eventName);
}
