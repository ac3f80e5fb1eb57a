// Key state and usage checks with AWS's exceptions.
import type { KmsKey } from "@/lib/db/client";
import { DisabledException, InvalidKeyUsageException, KMSInvalidStateException } from "@/lib/errors";
import type { KmsContext } from "./context";

export const KEY_STATES = ["Enabled", "Disabled", "PendingDeletion", "PendingImport"] as const;
export type KeyState = (typeof KEY_STATES)[number];

const STATE_WORDS: Record<string, string> = {
  PendingDeletion: "pending deletion",
  PendingImport: "pending import",
};

/** For cryptographic operations: the key must be Enabled. */
export function assertEnabled(ctx: KmsContext, key: KmsKey): void {
  if (key.keyState === "Enabled") return;
  const arn = ctx.keyArn(key.id);
  if (key.keyState === "Disabled") throw new DisabledException(`${arn} is disabled.`);
  throw new KMSInvalidStateException(`${arn} is ${STATE_WORDS[key.keyState] ?? key.keyState}.`);
}

/** For management operations that AWS refuses in some states (e.g. rotation while pending deletion). */
export function assertNotInState(ctx: KmsContext, key: KmsKey, states: readonly KeyState[]): void {
  if (!states.includes(key.keyState as KeyState)) return;
  throw new KMSInvalidStateException(`${ctx.keyArn(key.id)} is ${STATE_WORDS[key.keyState] ?? key.keyState.toLowerCase()}.`);
}

export function assertUsage(ctx: KmsContext, key: KmsKey, usage: string, operation: string): void {
  if (key.keyUsage === usage) return;
  throw new InvalidKeyUsageException(
    `${ctx.keyArn(key.id)} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
  );
}
