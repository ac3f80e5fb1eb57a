// What the approvals sweeper (expiry-job.ts) does to one request: a
// conditional update and its service event, committed together or not at
// all. The update answers how many rows it changed: none means another
// instance, a decision or a reveal got there first, and nothing is recorded.
import { commitChange } from "@/lib/audit/change";
import { buildRecord } from "@/lib/audit/record";
import { accountId, region } from "@/lib/settings/account";
import { APPROVALS_EVENT_SOURCE } from "./operations";

export interface SweptRequest {
  id: string;
  operation: string;
  requesterArn: string;
}

const NOTHING = new Error("nothing to sweep");

/** Runs `update` for `request` with its `eventName` service event; whether it changed the request. */
export async function sweepRequest(request: SweptRequest, eventName: string, update: () => Promise<number>): Promise<boolean> {
  try {
    await commitChange(
      async () => {
        if ((await update()) === 0) throw NOTHING;
      },
      async (outcome) =>
        outcome.error !== undefined
          ? null
          : buildRecord({
              eventName,
              eventSource: APPROVALS_EVENT_SOURCE,
              eventType: "AwsServiceEvent",
              via: "service",
              readOnly: false,
              region: region(),
              accountId: await accountId(),
              request: { requestId: request.id, operation: request.operation, requester: request.requesterArn },
              approval: { requestId: request.id },
            }),
    );
    return true;
  } catch (e) {
    if (e === NOTHING) return false;
    throw e;
  }
}
