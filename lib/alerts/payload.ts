// The message a rule sends: Keyhold JSON (the CloudTrail records, bounded) or
// a chat-compatible {"text": "..."} (Slack and Teams incoming webhooks).
import type { NotificationRule } from "@/lib/db/client";
import type { TrailEvent } from "./match";

/** At most this many records ride in one message; `count` says how many matched. */
export const MAX_EVENTS_PER_MESSAGE = 10;

export function alertBody(rule: NotificationRule, events: TrailEvent[], count: number): string {
  const shown = events.slice(0, MAX_EVENTS_PER_MESSAGE);
  const from = events[0]!.eventTime.toISOString();
  const to = events[events.length - 1]!.eventTime.toISOString();
  if (rule.format === "text") {
    const lines = shown.slice(0, 3).map((e) => {
      const who = e.principalArn ?? "the service";
      return `• ${e.eventName}${e.errorCode ? ` (${e.errorCode})` : ""} by ${who}${e.keyId ? ` on key ${e.keyId}` : ""} at ${e.eventTime.toISOString()}`;
    });
    const more = count > lines.length ? `\n… and ${count - lines.length} more` : "";
    return JSON.stringify({ text: `Keyhold alert "${rule.name}": ${count} matching event(s) between ${from} and ${to}\n${lines.join("\n")}${more}` });
  }
  return JSON.stringify({
    type: "keyhold.alert",
    rule: { id: rule.id, name: rule.name, minCount: rule.minCount },
    count,
    window: { seconds: rule.windowSeconds, from, to },
    events: shown.map((e) => JSON.parse(e.record) as unknown),
    eventsOmitted: Math.max(0, count - shown.length),
  });
}
