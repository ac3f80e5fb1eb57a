// Key changes, told to every instance: the local key-row cache forgets the
// key at once, and on PostgreSQL a NOTIFY reaches the other instances, whose
// listener (started in boot.ts) forgets it too.
import pg from "pg";
import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { invalidateKeyRow } from "./key-cache";

const CHANNEL = "keyhold_key_changed";
const g = globalThis as unknown as { keyholdNotify?: boolean };

export async function keyChanged(keyIds: string[]): Promise<void> {
  for (const id of keyIds) invalidateKeyRow(id);
  if (!g.keyholdNotify || keyIds.length === 0) return;
  await prisma.$executeRaw`SELECT pg_notify(${CHANNEL}, ${keyIds.join(",")})`.catch((e) =>
    logger.error({ err: e }, "could not notify other instances of a key change"),
  );
}

/** Listens for other instances' key changes (PostgreSQL only; the embedded database serves one process). */
export async function listenForKeyChanges(databaseUrl: string): Promise<{ close(): Promise<void> }> {
  g.keyholdNotify = true;
  let client: pg.Client | undefined;
  let closed = false;
  const connect = async () => {
    client = new pg.Client({ connectionString: databaseUrl });
    client.on("notification", (msg) => {
      for (const id of (msg.payload ?? "").split(",")) if (id) invalidateKeyRow(id);
    });
    client.on("error", (e) => {
      logger.warn({ err: e }, "key-change listener lost its connection; reconnecting");
      invalidateKeyRow(); // we may have missed notifications
      if (!closed) setTimeout(() => void connect().catch(() => {}), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  };
  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
