// What a server action returns to the browser. Next hides the message of a
// thrown error in production, so service errors travel as data instead.
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionFailure };

/** A refusal; `approvalRequestId` when the change was held for approval (lib/approvals) instead of made. */
export interface ActionFailure {
  name: string;
  message: string;
  approvalRequestId?: string;
}
