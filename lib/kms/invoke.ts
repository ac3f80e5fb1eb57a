// The one way every door (API, console, CLI) calls a KMS operation by name:
// the call and its outcome are audited before the answer returns.
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { UnsupportedOperationException } from "@/lib/errors";
import { kmsOperations } from "./index";
import { unsupportedReason } from "./unsupported";

export interface InvocationMeta {
  /** Which door the call came through. */
  source: "api" | "console" | "cli";
  requestId?: string;
  accessKeyId?: string;
}

export async function invokeKms(operation: string, caller: Principal, input: unknown, meta: InvocationMeta): Promise<object> {
  const implementation = kmsOperations[operation];
  return audited(
    { eventName: operation, caller, via: meta.source, request: input, requestId: meta.requestId, accessKeyId: meta.accessKeyId },
    async () => {
      if (!implementation) throw new UnsupportedOperationException(unsupportedReason(operation));
      return implementation(caller, input);
    },
  );
}
