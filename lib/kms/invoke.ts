// The one way every door (API, console, CLI) calls a KMS operation by name:
// the call and its outcome are audited before the answer returns.
import { audited } from "@/lib/audit";
import { currentCallFacts } from "@/lib/audit/context";
import { isReadOnlyOperation } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { UnsupportedOperationException } from "@/lib/errors";
import { kmsOperations } from "./index";
import { keyChanged } from "./key-notifications";
import { unsupportedReason } from "./unsupported";

const keyIdsOf = (arns: string[]) => arns.map((a) => a.slice(a.lastIndexOf("/") + 1));

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
      try {
        return await implementation(caller, input);
      } finally {
        // Whatever a write did to a key, no cache may serve the old row.
        if (!isReadOnlyOperation(operation)) await keyChanged(keyIdsOf(currentCallFacts()?.keyArns ?? []));
      }
    },
  );
}
