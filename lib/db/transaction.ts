// The transaction a call runs in, carried with AsyncLocalStorage: while a
// scope is active, the `prisma` export (client.ts) sends every query into
// that transaction, so service code written against `prisma` needs no
// changes to have its writes commit together with the call's audit event.
import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "./generated/prisma/client";

/** Prisma's interactive-transaction client. */
export type TransactionClient = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

interface Scope {
  tx: TransactionClient;
  afterCommit: Array<() => void>;
}

const scope = new AsyncLocalStorage<Scope>();

/** The transaction of the call in progress, if any. */
export function currentTransaction(): TransactionClient | undefined {
  return scope.getStore()?.tx;
}

/**
 * Runs `fn` with every `prisma` query inside `tx`; resolves with its result
 * and the callbacks to run once the transaction has committed.
 */
export async function inTransactionScope<T>(tx: TransactionClient, fn: () => Promise<T>): Promise<{ value: T; afterCommit: Array<() => void> }> {
  const s: Scope = { tx, afterCommit: [] };
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
