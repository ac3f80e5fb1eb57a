// What the console offers a caller: which controls to show. The policy engine
// answers (built-in role, custom role, key policy, grants) — evaluated, not
// performed, so nothing is audited here; the action itself is authorized and
// audited by the service layer when the caller uses the control.
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { decideAccountAction, decideKeyAction } from "@/lib/kms/authorize";
import { factsOf } from "@/lib/kms/denial";
import type { ControlAccess } from "./types";
import { isKmsError } from "@/lib/errors";
import { kmsContext } from "@/lib/kms/context";
import { resolveKey } from "@/lib/kms/resolve";

/** The actions behind the key pages' edit controls (description, state, aliases, tags, rotation, deletion, policy). */
const MANAGE_ACTIONS = [
  "kms:UpdateKeyDescription",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "kms:CreateAlias",
  "kms:TagResource",
  "kms:EnableKeyRotation",
  "kms:PutKeyPolicy",
] as const;

/** Whether the caller's identity policies allow managing keys in general (the list's bulk and row controls). */
export function mayManageKeys(caller: Principal): boolean {
  if (caller.mustChangePassword) return false;
  return MANAGE_ACTIONS.some((action) => decideAccountAction(caller, action).decision.allowed);
}

/** Whether the caller may create keys (the wizard). */
export function mayCreateKeys(caller: Principal): boolean {
  return !caller.mustChangePassword && decideAccountAction(caller, "kms:CreateKey").decision.allowed;
}

/** Whether any manage action on this key would be allowed for the caller (key policy included). */
export async function mayManageKey(caller: Principal, keyId: string): Promise<boolean> {
  if (caller.mustChangePassword) return false;
  try {
    const ctx = await kmsContext();
    const { key } = await resolveKey(ctx, keyId, { allowAlias: false });
    for (const action of MANAGE_ACTIONS) {
      if ((await decideKeyAction(caller, action, ctx, key)).decision.allowed) return true;
    }
    return false;
  } catch {
    return false; // no such key: the page shows "Key not found" anyway
  }
}

/** The playground's operations that use a key, one per family (the key policy still decides each call). */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "kms:Sign",
  "kms:Verify",
  "kms:GenerateMac",
  "kms:VerifyMac",
  "kms:DeriveSharedSecret",
] as const;

/** Whether the caller's identity policies allow using keys in some way (the playground): a signing-only role counts too. */
export function mayUseKeys(caller: Principal): boolean {
  if (caller.mustChangePassword) return false;
  return KEY_USE_ACTIONS.some((action) => decideAccountAction(caller, action).decision.allowed);
}

/**
 * Per action, the decision the key's policy (with roles and grants) would give
 * the caller; evaluated, not performed. Unknown key: every action refused
 * without facts (the page says "Key not found" anyway).
 */
export async function keyControlAccess(caller: Principal, keyId: string, actions: readonly string[]): Promise<Record<string, ControlAccess>> {
  const out: Record<string, ControlAccess> = Object.fromEntries(actions.map((a) => [a, { allowed: false }]));
  if (caller.mustChangePassword) return out;
  try {
    const ctx = await kmsContext();
    const { key } = await resolveKey(ctx, keyId, { allowAlias: false });
    for (const action of actions) {
      const { decision, request } = await decideKeyAction(caller, action, ctx, key);
      out[action] = decision.allowed ? { allowed: true } : { allowed: false, deniedBy: factsOf(decision, request) };
    }
  } catch (e) {
    if (!isKmsError(e)) throw e; // no such key: refused above
  }
  return out;
}
