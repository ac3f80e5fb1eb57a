// Key state and usage checks with AWS's exceptions.
import type { KmsKey } from "@/lib/db/client";
import { DisabledException, InvalidKeyUsageException, KMSInvalidStateException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import type { KmsContext } from "./context";

export const KEY_STATES = ["Enabled", "Disabled", "PendingDeletion", "PendingImport"] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** For cryptographic operations: the key must be Enabled. */
export function assertEnabled(ctx: KmsContext, key: KmsKey): void {
  if (key.keyState === "Enabled") return;
  const text = messages.keyState(ctx.keyArn(key.id), key.keyState);
  if (key.keyState === "Disabled") throw new DisabledException(text);
  throw new KMSInvalidStateException(text);
}

/** For management operations that AWS refuses in some states (e.g. rotation while pending deletion). */
export function assertNotInState(ctx: KmsContext, key: KmsKey, states: readonly KeyState[]): void {
  if (!states.includes(key.keyState as KeyState)) return;
  throw new KMSInvalidStateException(messages.keyState(ctx.keyArn(key.id), key.keyState));
}

export function assertUsage(ctx: KmsContext, key: KmsKey, usage: string, operation: string): void {
  if (key.keyUsage === usage) return;
  throw new InvalidKeyUsageException(messages.keyUsage(ctx.keyArn(key.id), key.keyUsage, operation));
}
