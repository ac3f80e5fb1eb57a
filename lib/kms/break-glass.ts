// Break-glass for the operator on the host (`keyhold key cancel-deletion` and
// `keyhold key reset-policy`): a key administrator can schedule a key's
// deletion and then lock everyone out of its policy (BypassPolicyLockoutSafetyCheck),
// so these two changes skip the key policy. Only the operator principal (the
// account root through the CLI) may call them; each is one audited event.
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { AccessDeniedException, NotFoundException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { kmsContext } from "./context";
import { defaultKeyPolicy } from "./default-policy";
import { keyChanged } from "./key-notifications";
import { cancelDeletionOf } from "./operations/deletion";
import { resolveKey } from "./resolve";

function assertOperator(caller: Principal, action: string): void {
  if (caller.kind !== "operator") throw new AccessDeniedException(`${action} is only for the operator on the host (keyhold CLI).`);
}

function keyIdOf(keyId: unknown): string {
  if (typeof keyId !== "string" || keyId.length === 0) throw new ValidationException("A key ID (or key ARN) is required.");
  return keyId;
}

const breakGlass = <T>(eventName: string, caller: Principal, keyId: unknown, change: (keyId: string) => Promise<T>) =>
  audited({ eventName, caller, via: "cli", request: { keyId, breakGlass: true } }, async () => {
    assertOperator(caller, eventName);
    return change(keyIdOf(keyId));
  });

/** CancelKeyDeletion whatever the key policy says: the key comes back Disabled (PendingImport without material). */
export function breakGlassCancelKeyDeletion(caller: Principal, keyId: unknown): Promise<{ KeyId: string }> {
  return breakGlass("CancelKeyDeletion", caller, keyId, async (id) => {
    const ctx = await kmsContext();
    const { key } = await resolveKey(ctx, id, { allowAlias: false });
    try {
      return await cancelDeletionOf(ctx, key);
    } finally {
      await keyChanged([key.id]);
    }
  });
}

/** PutKeyPolicy with the default key policy (the account root, delegating to identity policies). */
export function breakGlassResetKeyPolicy(caller: Principal, keyId: unknown): Promise<{ KeyId: string; Policy: string }> {
  return breakGlass("PutKeyPolicy", caller, keyId, async (id) => {
    const ctx = await kmsContext();
    const { key } = await resolveKey(ctx, id, { allowAlias: false });
    const policy = defaultKeyPolicy(ctx.account);
    const changed = await prisma.kmsKey.updateMany({ where: { id: key.id, deletedAt: null }, data: { policy } });
    await keyChanged([key.id]);
    if (changed.count !== 1) throw new NotFoundException(messages.keyNotFound(ctx.keyArn(key.id)));
    return { KeyId: ctx.keyArn(key.id), Policy: policy };
  });
}
