// Reading the audit trail in id order without skipping an event that commits
// late. Ids come from a sequence, so an id can become visible after a higher
// one (two transactions committing out of order), and a rolled-back insert
// leaves a hole forever. A hole is passed over only once every transaction
// that was running when it was seen has ended (it was a rollback), or after
// MAX_GAP_MS whatever happens.
import type { TransactionClient } from "@/lib/db/transaction";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";
import type { TrailEvent } from "./match";

/** The columns a TrailEvent is read from (the record text is stored compressed). */
export const TRAIL_SELECT = { id: true, eventId: true, eventTime: true, eventName: true, keyId: true, principalArn: true, errorCode: true, record: true, body: true } as const;

export function trailEvent({ body, record, eventId, ...row }: Omit<TrailEvent, "record"> & { eventId: string; record: string | null; body: Uint8Array | null }): TrailEvent {
  return { ...row, record: decodeRecord({ record, body, eventId }) };
}

const MAX_GAP_MS = 5 * 60_000;

interface Gap {
  afterId: bigint;
  firstSeen: number;
  /** No transaction that could hold the missing ids has an xid at or above this. */
  xmax: bigint;
}

let gap: Gap | undefined;

async function snapshot(tx: TransactionClient): Promise<{ xmin: bigint; xmax: bigint }> {
  const [row] = await tx.$queryRaw<Array<{ xmin: string; xmax: string }>>`
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`;
  return { xmin: BigInt(row!.xmin), xmax: BigInt(row!.xmax) };
}

/**
 * The events after `cursor` that can be handled now, in id order, stopping
 * at a hole that may still fill. `minGapMs`: how long a hole must have been
 * seen before it may be passed over (covers the instant between an insert
 * taking its id and its transaction taking an xid).
 */
export async function readTrail(tx: TransactionClient, cursor: bigint, limit: number, now: number, minGapMs: number): Promise<TrailEvent[]> {
  const rows = await tx.auditEvent.findMany({
    where: { id: { gt: cursor } },
    orderBy: { id: "asc" },
    take: limit,
    select: TRAIL_SELECT,
  });
  const ready: TrailEvent[] = [];
  let expected = cursor + 1n;
  for (const row of rows) {
    if (row.id !== expected && !(await mayPassGap(tx, expected - 1n, now, minGapMs))) break;
    ready.push(trailEvent(row));
    expected = row.id + 1n;
  }
  return ready;
}

async function mayPassGap(tx: TransactionClient, afterId: bigint, now: number, minGapMs: number): Promise<boolean> {
  const { xmin, xmax } = await snapshot(tx);
  if (!gap || gap.afterId !== afterId) gap = { afterId, firstSeen: now, xmax };
  const age = now - gap.firstSeen;
  if ((age >= minGapMs && xmin >= gap.xmax) || age >= MAX_GAP_MS) {
    gap = undefined;
    return true;
  }
  return false;
}
