// Key changes, told to every instance: the local key-row cache forgets the
// key at once, and on PostgreSQL a NOTIFY reaches the other instances, whose
// listener (started in boot.ts) forgets it too. Open console pages hear of
// changes through onKeysChanged (server-sent events, app/api/events).
import { EventEmitter } from "node:events";
import pg from "pg";
import { prisma } from "@/lib/db/client";
import { databaseTimeouts } from "@/lib/db/timeouts";
import { logger } from "@/lib/log";
import { runAccessKeyListeners } from "@/lib/auth/access-key-events";
import { invalidateKeyRow } from "./key-cache";

const CHANNEL = "keyhold_key_changed";
/** Access keys and their users changed: other instances drop cached API credentials (payload: a key id, or "*" for all). */
const ACCESS_KEY_CHANNEL = "keyhold_access_key_changed";
// On globalThis: the server and Next's bundles load this module separately.
const g = globalThis as unknown as { keyholdNotify?: boolean; keyholdKeyEvents?: EventEmitter };
const events = (g.keyholdKeyEvents ??= new EventEmitter().setMaxListeners(0));

/**
 * Calls `listener` with the IDs of keys that changed, in this or (on
 * PostgreSQL) any instance. IDs only: nothing secret. Returns unsubscribe.
 */
export function onKeysChanged(listener: (keyIds: string[]) => void): () => void {
  events.on("changed", listener);
  return () => void events.off("changed", listener);
}

export async function keyChanged(keyIds: string[]): Promise<void> {
  for (const id of keyIds) invalidateKeyRow(id);
  if (keyIds.length === 0) return;
  // With a listener, the NOTIFY's echo tells this instance's pages too, and
  // only once the change has committed; without one (embedded), tell them now.
  if (!g.keyholdNotify) return void events.emit("changed", keyIds);
  await prisma.$executeRaw`SELECT pg_notify(${CHANNEL}, ${keyIds.join(",")})`.catch((e) =>
    logger.error({ err: e }, "could not notify other instances of a key change"),
  );
}

/**
 * Tells the other instances (API workers, a separate API server) that an
 * access key or its user changed, so a deactivated key or a disabled user
 * stops working there at once rather than when their credential cache
 * expires. Called once the change has committed; no-op on the embedded
 * database (one process).
 */
export async function accessKeyChangedEverywhere(accessKeyId?: string): Promise<void> {
  if (!g.keyholdNotify) return;
  await prisma.$executeRaw`SELECT pg_notify(${ACCESS_KEY_CHANNEL}, ${accessKeyId ?? "*"})`.catch((e) =>
    logger.error({ err: e }, "could not notify other instances of an access key change"),
  );
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 15_000;

/**
 * Listens for other instances' key changes (PostgreSQL only; the embedded
 * database serves one process). A lost connection is re-established with
 * capped exponential backoff for as long as it takes, until close(); each
 * time, the whole key cache is forgotten (notifications may have been missed).
 */
export async function listenForKeyChanges(databaseUrl: string): Promise<{ close(): Promise<void>; readonly connected: boolean }> {
  g.keyholdNotify = true;
  let client: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let retryMs = RETRY_FIRST_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    const c = new pg.Client({ connectionString: databaseUrl, ...databaseTimeouts() });
    client = c;
    c.on("notification", (msg) => {
      if (msg.channel === ACCESS_KEY_CHANNEL) return runAccessKeyListeners(msg.payload && msg.payload !== "*" ? msg.payload : undefined);
      const ids = (msg.payload ?? "").split(",").filter(Boolean);
      for (const id of ids) invalidateKeyRow(id);
      if (ids.length) events.emit("changed", ids);
    });
    let lost = false;
    const onLost = (e?: Error) => {
      if (lost) return;
      lost = true;
      connected = false;
      c.end().catch(() => {});
      if (closed) return;
      logger.warn({ err: e, retryInMs: retryMs }, "key-change listener lost its connection; reconnecting");
      reconnectLater();
    };
    c.on("error", onLost);
    c.on("end", () => onLost());
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}; LISTEN ${ACCESS_KEY_CHANNEL}`); // one round trip, one session for both
    } catch (e) {
      onLost(e as Error);
      throw e;
    }
    if (closed) return void c.end().catch(() => {});
    connected = true;
    retryMs = RETRY_FIRST_MS;
    invalidateKeyRow(); // changes made while we were not listening
    runAccessKeyListeners();
  };

  const reconnectLater = () => {
    const wait = retryMs;
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    timer = setTimeout(() => {
      if (!closed) connect().then(() => logger.info("key-change listener reconnected"), () => {});
    }, wait);
    timer.unref();
  };

  await connect();
  return {
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
