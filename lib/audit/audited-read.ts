// Reading the audit trail is itself recorded, as CloudTrail records its own
// LookupEvents: one read-only event per call (allowed or denied) under the
// CloudTrail event source, with the filters as requestParameters and never
// the events returned (readOnly calls record no responseElements).
import type { Principal } from "@/lib/auth/principal";
import { audited } from "./index";

export const AUDIT_TRAIL_EVENT_SOURCE = "cloudtrail.amazonaws.com";

/** The event names of audit-trail reads, one per service operation. */
export const AUDIT_READ_EVENTS = {
  lookup: "LookupEvents",
  getEvent: "GetAuditEvent",
  usage: "GetAuditUsage",
  eventNames: "ListAuditEventNames",
  export: "ExportAuditEvents",
  verify: "VerifyAuditChain",
  verifyProgress: "GetAuditVerificationProgress",
  publicKey: "GetAuditSigningPublicKey",
  summary: "GetAuditSummary",
  suggestions: "ListAuditFilterSuggestions",
} as const;

/**
 * Runs `read` as one audited call. `request` is what the caller asked for
 * (filters, range); `read` authorizes first, so a denial is recorded as the
 * call's AccessDeniedException. The event names no key resource even when a
 * filter names a key: reading about a key is not a use of it, and the key's
 * own activity must stay its own.
 */
export function auditedTrailRead<T>(
  eventName: string,
  caller: Principal,
  request: unknown,
  read: () => Promise<T>,
  recordedResponse?: (value: T) => unknown,
): Promise<T> {
  return audited(
    {
      eventName,
      eventSource: AUDIT_TRAIL_EVENT_SOURCE,
      caller,
      via: caller.kind === "operator" ? "cli" : "console",
      request,
      readOnly: true,
      recordedResponse: recordedResponse as ((value: unknown) => unknown) | undefined,
    },
    read,
  );
}
