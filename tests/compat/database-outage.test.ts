// A database that stops answering (frozen with SIGSTOP) or goes away (stopped
// and restarted) must not hang callers or /readyz: calls fail with AWS's
// retryable DependencyTimeoutException, /readyz answers 503, and everything,
// including the key-change listener (LISTEN/NOTIFY), recovers by itself.
import { createServer } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from "./private-postgres";
import { ADMIN_KEY, startApiServer, type TestServer } from "./server";
import { signedRequest } from "./signed-request";

const unavailable = privatePostgresUnavailable();
if (unavailable) console.warn(`database-outage tests skipped: ${unavailable}`);

let db: PrivatePostgres | undefined;
let server: TestServer | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A signed KMS call; waits generously: the point is that it answers at all. */
async function kms(operation: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await signedRequest(server!.endpoint, operation, body, ADMIN_KEY);
  const res = await fetch(server!.endpoint, { method: "POST", headers: r.headers, body: r.body, signal: AbortSignal.timeout(90_000) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function readyz(): Promise<number> {
  return (await fetch(`${server!.endpoint}/readyz`, { signal: AbortSignal.timeout(30_000) })).status;
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await fn().catch((e: unknown) => void (last = e));
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: server!.env.DATABASE_URL, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const listenerSessions = async () =>
  (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN keyhold_key_changed%'`))[0]!.n;

describe.skipIf(!!unavailable)("database outage", () => {
  beforeAll(async () => {
    db = startPrivatePostgres(await freePort());
    server = await startApiServer({
      databaseUrl: db.url,
      // Short bounds so the test takes seconds; the defaults are longer (README).
      env: { KEYHOLD_DB_CONNECT_TIMEOUT_MS: "2000", KEYHOLD_DB_STATEMENT_TIMEOUT_MS: "3000" },
    });
  }, 120_000);

  afterAll(async () => {
    db?.signalAll("SIGCONT");
    await server?.stop();
    db?.destroy();
  });

  it("answers DependencyTimeoutException and /readyz 503 while the database is frozen, and recovers", async () => {
    const created = await kms("CreateKey", { Description: "before the outage" });
    expect(created.status).toBe(200);
    expect((await kms("ListKeys", {})).status).toBe(200);

    db!.signalAll("SIGSTOP");
    try {
      const during = await kms("CreateKey", { Description: "during the outage" });
      expect(during).toMatchObject({ status: 500, json: { __type: "DependencyTimeoutException" } });
      expect(await readyz()).toBe(503);
    } finally {
      db!.signalAll("SIGCONT");
    }

    await eventually("a successful call after the outage", async () => {
      const r = await kms("CreateKey", { Description: "after" });
      if (r.status !== 200) throw new Error(JSON.stringify(r.json));
      return true;
    });
    await eventually("/readyz 200 after the outage", async () => ((await readyz()) === 200 ? true : undefined));
  }, 180_000);

  it("keeps the key-change listener across repeated outages", async () => {
    const { json } = await kms("CreateKey", { Description: "listener" });
    const keyId = (json.KeyMetadata as { KeyId: string }).KeyId;
    expect(await eventually("the listener session", async () => ((await listenerSessions()) > 0 ? true : undefined))).toBe(true);

    // Twice: the database goes away for a few seconds (connections refused meanwhile).
    for (let i = 0; i < 2; i++) {
      db!.stop();
      await new Promise((r) => setTimeout(r, 3000));
      db!.start();
    }
    await eventually("the listener to reconnect", async () => ((await listenerSessions()) > 0 ? true : undefined));
    await eventually("calls to succeed again", async () => ((await kms("ListKeys", {})).status === 200 ? true : undefined));

    // Another instance disables the key and tells the others by NOTIFY: this
    // server's cached key row is dropped, so Encrypt is refused at once.
    const plaintext = Buffer.from("hello").toString("base64");
    expect((await kms("Encrypt", { KeyId: keyId, Plaintext: plaintext })).status).toBe(200); // the row is now cached
    await sql(`UPDATE "KmsKey" SET "keyState" = 'Disabled' WHERE id = $1::uuid`, [keyId]);
    await sql(`SELECT pg_notify('keyhold_key_changed', $1)`, [keyId]);
    const refused = await kms("Encrypt", { KeyId: keyId, Plaintext: plaintext });
    expect(refused.json.__type).toBe("DisabledException");
  }, 180_000);
});
