// The transaction a call runs in, carried in the call's context: while a
// scope is active, the `prisma` export (client.ts) sends every query into
// that transaction, so service code written against `prisma` needs no
// changes to have its writes commit together with the call's audit event.
import { contextSlot } from "@/lib/context/call-context";
import type { PrismaClient } from "./generated/prisma/client";

/** Prisma's interactive-transaction client. */
export type TransactionClient = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

type Undo = () => void | Promise<void>;

/**
 * What to do once the scope's transaction has ended: callbacks for a commit,
 * undos for work rolled back (all of it, or a savepoint's part). Undos run
 * after the transaction, never inside it: they may need the database (the
 * embedded one has a single session, held by the transaction).
 */
export interface ScopeHooks {
  afterCommit: Array<() => void>;
  afterRollback: Undo[];
  rolledBack: Undo[];
}

export const newScopeHooks = (): ScopeHooks => ({ afterCommit: [], afterRollback: [], rolledBack: [] });

interface Scope extends ScopeHooks {
  tx: TransactionClient;
}

const scope = contextSlot<Scope>("transaction");

/** The transaction of the call in progress, if any. */
export function currentTransaction(): TransactionClient | undefined {
  return scope.getStore()?.tx;
}

/**
 * Runs `fn` with every `prisma` query inside `tx`; resolves with its result
 * and the callbacks to run once the transaction has committed.
 */
export async function inTransactionScope<T>(
  tx: TransactionClient,
  fn: () => Promise<T>,
  hooks: ScopeHooks = newScopeHooks(),
): Promise<{ value: T; afterCommit: Array<() => void> }> {
  const s: Scope = { tx, ...hooks };
  return { value: await scope.run(s, fn), afterCommit: s.afterCommit };
}

/**
 * Runs `fn` once the current transaction has committed (now, outside one):
 * for cache invalidation, so no reader re-caches the old row between the
 * write and its commit.
 */
export function afterCommit(fn: () => void): void {
  const s = scope.getStore();
  if (s) s.afterCommit.push(fn);
  else fn();
}

/**
 * Runs `fn` if the current transaction's work is rolled back (the call failed,
 * or its audit event could not be committed with it): for effects outside the
 * database that cannot roll back with it, such as a key object generated in an
 * HSM. Outside a transaction there is nothing to roll back and `fn` never runs.
 */
export function afterRollback(fn: Undo): void {
  scope.getStore()?.afterRollback.push(fn);
}

/**
 * A mark for a savepoint: the returned function, called when the work after
 * the savepoint is rolled back, makes the undos registered since then run
 * when the transaction ends, whether it commits or not.
 */
export function rollbackPoint(): () => void {
  const s = scope.getStore();
  const mark = s?.afterRollback.length ?? 0;
  return () => {
    if (s) s.rolledBack.push(...s.afterRollback.splice(mark));
  };
}

/**
 * Runs rollback callbacks newest first, before the failed call answers (so a
 * caller who retries finds the clean-up done); one failing never stops the rest.
 */
export async function runRollbackCallbacks(callbacks: Undo[]): Promise<void> {
  for (const fn of callbacks.reverse()) {
    try {
      await fn();
    } catch {
      // each callback reports its own failure; the rest still run
    }
  }
}

/**
 * Runs `fn` outside any call's transaction: for bookkeeping that must not
 * commit or roll back with a call (the audit chain's own rows, timers and
 * callbacks scheduled from inside a call).
 */
export function outsideTransaction<T>(fn: () => T): T {
  return scope.exit(fn);
}

/**
 * `$transaction` as seen inside a scope: already in one, so a nested
 * interactive transaction runs in it and a batch runs its queries in order.
 */
export function nestedTransaction(tx: TransactionClient) {
  return async (arg: unknown) => {
    if (typeof arg === "function") return (arg as (tx: TransactionClient) => Promise<unknown>)(tx);
    const results: unknown[] = [];
    for (const query of arg as Array<Promise<unknown>>) results.push(await query);
    return results;
  };
}
