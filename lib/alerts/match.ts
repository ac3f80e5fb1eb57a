// Whether one audit event matches one rule's conditions (not its count).
import type { NotificationRule } from "@/lib/db/client";

export interface TrailEvent {
  id: bigint;
  eventTime: Date;
  eventName: string;
  keyId: string | null;
  principalArn: string | null;
  errorCode: string | null;
  record: string;
}

/** What matching needs beyond the event row, loaded once per batch. */
export interface MatchFacts {
  /** Alias name → key ID (absent: no such alias now). */
  aliases: Map<string, string>;
  /** Key ID → its tags now. */
  tags: Map<string, Map<string, string>>;
}

/** A call that failed, or one that answered that something failed (VerifyAuditChain with ok=false). */
function failed(event: TrailEvent): boolean {
  if (event.errorCode) return true;
  if (!event.record.includes('"ok":false')) return false;
  const response = (JSON.parse(event.record) as { responseElements?: { ok?: unknown } | null }).responseElements;
  return response?.ok === false;
}

export function matchesRule(rule: NotificationRule, event: TrailEvent, facts: MatchFacts): boolean {
  if (event.eventTime < rule.createdAt) return false; // a new rule does not alert on the past
  if (rule.eventNames.length > 0 && !rule.eventNames.includes(event.eventName)) return false;
  if (rule.principalArn && event.principalArn !== rule.principalArn) return false;
  if (rule.keyRef) {
    const keyId = rule.keyRef.startsWith("alias/") ? facts.aliases.get(rule.keyRef) : rule.keyRef;
    if (!keyId || event.keyId !== keyId) return false;
  }
  if (rule.tagKey) {
    const value = event.keyId ? facts.tags.get(event.keyId)?.get(rule.tagKey) : undefined;
    if (value === undefined || (rule.tagValue !== null && rule.tagValue !== "" && value !== rule.tagValue)) return false;
  }
  if (rule.outcome === "denied") return event.errorCode === "AccessDeniedException";
  if (rule.outcome === "failed") return failed(event);
  return true;
}
