// What a server action returns to the browser. Next hides the message of a
// thrown error in production, so service errors travel as data instead.
import type { DenialFacts } from "@/lib/kms/denial";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionFailure };

/** A refusal; `approvalRequestId` when the change was held for approval (lib/approvals) instead of made. */
export interface ActionFailure {
  name: string;
  message: string;
  approvalRequestId?: string;
  /** Set when the policy engine refused the call: which statement decided (the caller's own request only). */
  deniedBy?: DenialFacts;
}
