// Durability of the audit trail: under load, kill -9 the server; after a
// restart every call that received a success answer has its event, and the
// chain verifies.
import { join } from "node:path";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";

let server: TestServer | undefined;
afterAll(async () => server?.stop());

async function query<T>(s: TestServer, sql: string, params: unknown[]): Promise<T[]> {
  if (s.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: s.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  // Embedded database: read the data folder directly while no server holds it.
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(join(s.dataDir, "pglite"));
  try {
    return (await db.query<T>(sql, params)).rows;
  } finally {
    await db.close();
  }
}

describe("crash safety", () => {
  it("keeps the event of every answered call across kill -9", async () => {
    server = await startApiServer();
    const kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "crash test" }));
    const keyId = KeyMetadata!.KeyId!;
    const succeeded = new Set<string>();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const r = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("load") }));
          succeeded.add(r.$metadata.requestId!);
        } catch {
          if (stop) return;
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((r) => setTimeout(r, 1500));
    await server.kill9(); // in the middle of the load
    stop = true;
    await Promise.all(workers);
    kms.destroy();
    expect(succeeded.size).toBeGreaterThan(20);

    const rows = await query<{ request_id: string }>(
      server,
      `SELECT record::json->>'requestID' AS request_id FROM "AuditEvent" WHERE "keyId" = $1::uuid AND "eventName" = 'Encrypt' AND "errorCode" IS NULL`,
      [keyId],
    );
    const recorded = new Set(rows.map((r) => r.request_id));
    const lost = [...succeeded].filter((id) => !recorded.has(id));
    expect(lost).toEqual([]);

    // Restart on the same data: it comes up, starts a new chain, and the trail verifies.
    server = await startApiServer({ dataDir: server.dataDir, databaseUrl: server.env.DATABASE_URL });
    const verify = server.cli(["audit", "verify", "--json"]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  });
});
