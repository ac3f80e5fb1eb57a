// The one way every door (API, console, CLI) calls a KMS operation by name:
// the call and its outcome are audited before the answer returns.
import { audited } from "@/lib/audit";
import { currentCallFacts } from "@/lib/audit/context";
import { isReadOnlyOperation } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import {
  DEPENDENCY_TIMEOUT_MESSAGE,
  DependencyTimeoutException,
  isDependencyFailure,
  isKmsError,
  type KmsError,
  UnsupportedOperationException,
} from "@/lib/errors";
import { kmsOperations } from "./index";
import { keyChanged } from "./key-notifications";
import { unsupportedReason } from "./unsupported";

const keyIdsOf = (arns: string[]) => arns.map((a) => a.slice(a.lastIndexOf("/") + 1));

export interface InvocationMeta {
  /** Which door the call came through. */
  source: "api" | "console" | "cli";
  requestId?: string;
  accessKeyId?: string;
  /** Set when this call is the execution of an approved request (lib/approvals): its event names the request and approvers. */
  approval?: { requestId: string; approvers: string[] };
}

export async function invokeKms(operation: string, caller: Principal, input: unknown, meta: InvocationMeta): Promise<object> {
  const implementation = kmsOperations[operation];
  let dependencyTimeout: KmsError | undefined;
  try {
    return await audited(
      { eventName: operation, caller, via: meta.source, request: input, requestId: meta.requestId, accessKeyId: meta.accessKeyId, approval: meta.approval },
      async () => {
        if (!implementation) throw new UnsupportedOperationException(unsupportedReason(operation));
        try {
          return await implementation(caller, input);
        } catch (e) {
          // The database away or too slow: recorded and answered as AWS's retryable error.
          if (isKmsError(e) || !isDependencyFailure(e)) throw e;
          throw (dependencyTimeout = new DependencyTimeoutException(DEPENDENCY_TIMEOUT_MESSAGE));
        } finally {
          // Whatever a write did to a key, no cache may serve the old row. With the
          // database away, the other instances are told when it answers again.
          if (!isReadOnlyOperation(operation)) {
            const notified = keyChanged(keyIdsOf(currentCallFacts()?.keyArns ?? []));
            if (!dependencyTimeout) await notified;
          }
        }
      },
    );
  } catch (e) {
    // The call failed because the database is away, so its event could not be
    // written either: the caller still learns the cause, and that it may retry.
    throw dependencyTimeout ?? e;
  }
}
