// The alert dispatcher: a background job of the server process (never of an
// API worker, never on a KMS call's path). It tails the audit trail from a
// persisted cursor, matches rules and writes messages to the outbox in one
// transaction with the cursor (so a crash neither loses nor repeats a match),
// then POSTs due messages (deliver.ts).
//
// Several instances on one PostgreSQL: matching is serialized by a
// transaction-scoped advisory lock (pg_try_advisory_xact_lock: the others
// skip that turn), and each outbox row is claimed with FOR UPDATE SKIP LOCKED
// plus a lease, so every message is sent by one instance at a time.
import { directPrisma, type NotificationRule } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { logger } from "@/lib/log";
import { runPeriodically, type Periodic } from "@/lib/timers/periodic";
import { deliverDue, type DeliveryOptions } from "./deliver";
import { matchesRule, type MatchFacts, type TrailEvent } from "./match";
import { alertBody, MAX_EVENTS_PER_MESSAGE } from "./payload";
import { readTrail, TRAIL_SELECT, trailEvent } from "./tail";

/** pg advisory lock key of the matcher ("keyhold alerts"). */
const MATCH_LOCK = 0x6b68_616c_6572_7473n & 0x7fff_ffff_ffff_ffffn;
const CURSOR_ID = 1;
const BATCH = 1000;

export interface DispatcherOptions extends DeliveryOptions {
  now?: () => Date;
  /** How long a hole in the event ids must be seen before it is passed over (tail.ts). */
  minGapMs?: number;
}

export interface DispatchResult {
  events: number;
  queued: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** One turn: match every new event, then send what is due. */
export async function runDispatcherOnce(options: DispatcherOptions = {}): Promise<DispatchResult> {
  const now = options.now ?? (() => new Date());
  let events = 0;
  let queued = 0;
  for (;;) {
    const turn = await matchNewEvents(now(), options.minGapMs ?? 1000);
    events += turn.events;
    queued += turn.queued;
    if (turn.events < BATCH) break;
  }
  const sent = await deliverDue(now, options);
  return { events, queued, ...sent };
}

async function matchNewEvents(now: Date, minGapMs: number): Promise<{ events: number; queued: number }> {
  return directPrisma().$transaction(
    async (tx) => {
      const [{ locked }] = (await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${MATCH_LOCK}) AS locked`) as [{ locked: boolean }];
      if (!locked) return { events: 0, queued: 0 }; // another instance is matching
      const cursor = await tx.alertCursor.findUnique({ where: { id: CURSOR_ID } });
      if (!cursor) {
        // First start: alert on what happens from now on, not on the whole history.
        const last = await tx.auditEvent.aggregate({ _max: { id: true } });
        await tx.alertCursor.create({ data: { id: CURSOR_ID, lastEventId: last._max.id ?? 0n } });
        return { events: 0, queued: 0 };
      }
      const events = await readTrail(tx, cursor.lastEventId, BATCH, now.getTime(), minGapMs);
      if (events.length === 0) return { events: 0, queued: 0 };
      const rules = await tx.notificationRule.findMany({ where: { enabled: true } });
      const facts = await loadFacts(tx, rules, events);
      let queued = 0;
      for (const rule of rules) {
        const matched = events.filter((e) => matchesRule(rule, e, facts));
        if (matched.length > 0 && (await queueIfDue(tx, rule, matched, now))) queued++;
      }
      await tx.alertCursor.update({ where: { id: CURSOR_ID }, data: { lastEventId: events[events.length - 1]!.id } });
      return { events: events.length, queued };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

async function loadFacts(tx: TransactionClient, rules: NotificationRule[], events: TrailEvent[]): Promise<MatchFacts> {
  const aliasNames = [...new Set(rules.map((r) => r.keyRef).filter((k): k is string => !!k?.startsWith("alias/")))];
  const keyIds = rules.some((r) => r.tagKey) ? [...new Set(events.map((e) => e.keyId).filter((k): k is string => !!k))] : [];
  const [aliases, tags] = await Promise.all([
    aliasNames.length ? tx.alias.findMany({ where: { name: { in: aliasNames } }, select: { name: true, keyId: true } }) : [],
    keyIds.length ? tx.keyTag.findMany({ where: { keyId: { in: keyIds } } }) : [],
  ]);
  const tagMap = new Map<string, Map<string, string>>();
  for (const t of tags) {
    if (!tagMap.has(t.keyId)) tagMap.set(t.keyId, new Map());
    tagMap.get(t.keyId)!.set(t.tagKey, t.tagValue);
  }
  return { aliases: new Map(aliases.map((a) => [a.name, a.keyId])), tags: tagMap };
}

const enqueue = (tx: TransactionClient, rule: NotificationRule, events: TrailEvent[], count: number, now: Date) =>
  tx.alertDelivery.create({ data: { ruleId: rule.id, body: alertBody(rule, events, count), nextAttemptAt: now } });

/**
 * A rule with minCount 1 sends one message per turn with what matched. A
 * counting rule keeps its matches (AlertMatch) and sends once at least
 * minCount fall within windowSeconds of the latest; those are then used up.
 */
async function queueIfDue(tx: TransactionClient, rule: NotificationRule, matched: TrailEvent[], now: Date): Promise<boolean> {
  if (rule.minCount <= 1) {
    await enqueue(tx, rule, matched, matched.length, now);
    return true;
  }
  await tx.alertMatch.createMany({ data: matched.map((e) => ({ ruleId: rule.id, eventId: e.id, eventTime: e.eventTime })), skipDuplicates: true });
  const latest = matched[matched.length - 1]!.eventTime;
  await tx.alertMatch.deleteMany({ where: { ruleId: rule.id, eventTime: { lt: new Date(latest.getTime() - rule.windowSeconds * 1000) } } });
  const count = await tx.alertMatch.count({ where: { ruleId: rule.id } });
  if (count < rule.minCount) return false;
  const ids = await tx.alertMatch.findMany({ where: { ruleId: rule.id }, orderBy: { eventId: "asc" }, take: MAX_EVENTS_PER_MESSAGE, select: { eventId: true } });
  const shown = await tx.auditEvent.findMany({
    where: { id: { in: ids.map((m) => m.eventId) } },
    orderBy: { id: "asc" },
    select: TRAIL_SELECT,
  });
  await enqueue(tx, rule, shown.map(trailEvent), count, now);
  await tx.alertMatch.deleteMany({ where: { ruleId: rule.id } });
  return true;
}

export type AlertDispatcher = Periodic;

/** Runs a turn every `intervalMs`, timed from the end of the previous one (turns never overlap). */
export function startAlertDispatcher({ intervalMs = 2000 }: { intervalMs?: number } = {}): AlertDispatcher {
  const turn = async () => {
    try {
      const r = await runDispatcherOnce();
      if (r.queued || r.delivered || r.failed) logger.info({ event: "alert-dispatcher", ...r }, "alert dispatcher turn");
    } catch (e) {
      // Name and first line only: never a query parameter, URL or secret.
      const err = e instanceof Error ? { name: e.name, message: e.message.split("\n")[0] } : { name: typeof e };
      logger.error({ event: "alert-dispatcher", err }, "alert dispatcher turn failed");
    }
  };
  const periodic = runPeriodically(turn, intervalMs);
  logger.info({ event: "alert-dispatcher", intervalMs }, "alert dispatcher started");
  return periodic;
}
