// A change and its audit event commit together or not at all: the call runs
// in one database transaction (every `prisma` query inside it is routed
// there, lib/db/transaction.ts) and its event is inserted into the audit
// chain inside that same transaction before it commits. A call that fails
// is rolled back to where it started, and its event (with the error) still
// commits. If the event cannot be written, nothing the call did remains and
// the caller gets KMSInternalException.
import { contextSlot } from "@/lib/context/call-context";
import { directPrisma, isSingleSession } from "@/lib/db/client";
import { inTransactionScope, rollbackPoint, runRollbackCallbacks, newScopeHooks, type TransactionClient } from "@/lib/db/transaction";
import { DEPENDENCY_TIMEOUT_MESSAGE, DependencyTimeoutException, isDependencyFailure, KMSInternalException } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { AuditRecord } from "./record";
import { auditWriter, type ChainReservation } from "./writer";

interface ChangeScope {
  tx: TransactionClient;
  /** Events written during the call (nested calls, per-item records). */
  events: AuditRecord[];
  savepoints: number;
}

const scope = contextSlot<ChangeScope>("change");

/** The change transaction in progress, if any: events written now commit with it. */
export function currentChangeScope(): ChangeScope | undefined {
  return scope.getStore();
}

export type Outcome<T> = { value: T; error?: undefined } | { value?: undefined; error: unknown };

export const NOT_RECORDED = "The request could not be recorded in the audit trail, so it was not performed.";

/** Long enough for an RSA-4096 key generation inside a call; bounded so a stuck call cannot hold the chain. */
const TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/**
 * Runs `fn` as one change: its writes and the event `recordOf(outcome)`
 * (plus any events written during it) commit in one transaction. `recordOf`
 * answers null for an outcome that is not recorded (nothing happened).
 */
export async function commitChange<T>(fn: () => Promise<T>, recordOf: (outcome: Outcome<T>) => Promise<AuditRecord | null>): Promise<T> {
  const outer = scope.getStore();
  if (outer) return nestedChange(outer, fn, recordOf);

  let outcome: Outcome<T> | undefined;
  let committedCallbacks: Array<() => void> = [];
  const hooks = newScopeHooks();
  // The embedded database has one session: take the chain before the
  // transaction takes that session (the group commit needs it too).
  let reservation: ChainReservation | undefined = isSingleSession() ? await auditWriter().reserve() : undefined;
  try {
    await directPrisma().$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SAVEPOINT keyhold_call");
      const call: ChangeScope = { tx, events: [], savepoints: 0 };
      try {
        const run = await inTransactionScope(tx, () => scope.run(call, fn), hooks);
        outcome = { value: run.value };
        committedCallbacks = run.afterCommit;
      } catch (error) {
        outcome = { error };
        call.events = []; // they described writes that are rolled back now
        await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT keyhold_call");
        hooks.rolledBack.push(...hooks.afterRollback.splice(0));
      }
      const own = await recordOf(outcome);
      const records = own ? [...call.events, own] : call.events;
      if (records.length === 0) return;
      reservation ??= await auditWriter().reserve();
      await reservation.insert(tx, records);
    }, TRANSACTION);
    await reservation?.committed();
  } catch (e) {
    committedCallbacks = [];
    await reservation?.abandoned();
    await runRollbackCallbacks([...hooks.rolledBack, ...hooks.afterRollback]);
    logger.error({ err: e }, "change not committed: its audit event could not be written with it");
    throw notRecorded(e);
  }
  await runRollbackCallbacks(hooks.rolledBack);
  for (const callback of committedCallbacks) callback();
  if (outcome!.error !== undefined) throw outcome!.error;
  return outcome!.value as T;
}

/**
 * Why nothing was done: the database away or too slow is AWS's retryable
 * DependencyTimeoutException; anything else is an internal error.
 */
export function notRecorded(cause: unknown): Error {
  if (isDependencyFailure(cause) || (cause as Error)?.name === "DependencyTimeoutException") {
    return new DependencyTimeoutException(DEPENDENCY_TIMEOUT_MESSAGE);
  }
  return new KMSInternalException(NOT_RECORDED);
}

/** A change inside another (e.g. an operator command that calls a KMS operation): one transaction, both events. */
async function nestedChange<T>(outer: ChangeScope, fn: () => Promise<T>, recordOf: (outcome: Outcome<T>) => Promise<AuditRecord | null>): Promise<T> {
  const savepoint = `keyhold_nested_${++outer.savepoints}`;
  const kept = outer.events.length;
  await outer.tx.$executeRawUnsafe(`SAVEPOINT ${savepoint}`);
  const rolledBack = rollbackPoint();
  let outcome: Outcome<T>;
  try {
    outcome = { value: await fn() };
  } catch (error) {
    outcome = { error };
    outer.events.length = kept;
    await outer.tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    rolledBack();
  }
  const own = await recordOf(outcome);
  if (own) outer.events.push(own);
  if (outcome.error !== undefined) throw outcome.error;
  return outcome.value as T;
}
