// Durability of the audit trail: under load, kill -9 the server; after a
// restart every call that received a success answer has its event, and the
// chain verifies.
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
} from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

let server: TestServer | undefined;
afterAll(async () => server?.stop());

type RecordFields = { requestParameters?: { aliasName?: string } | null; responseElements?: { grantId?: string } | null };

/**
 * Rows (name, keyId) with no committed `eventName` event on that key naming
 * them: the record text is stored compressed, so events are decoded here.
 */
async function unexplainedBy(s: TestServer, rowsSql: string, params: unknown[], eventName: string, named: (r: RecordFields) => string | undefined) {
  const rows = await query<{ name: string; keyId: string }>(s, rowsSql, params);
  const events = await query<{ keyId: string; eventId: string; record: string | null; body: Uint8Array | null }>(
    s,
    `SELECT "keyId"::text AS "keyId", "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE "eventName" = $1 AND "errorCode" IS NULL`,
    [eventName],
  );
  const explained = new Set(events.map((e) => `${e.keyId}|${named(JSON.parse(decodeRecord(e)) as RecordFields)}`));
  return rows.filter((r) => !explained.has(`${r.keyId}|${r.name}`)).map((r) => ({ name: r.name }));
}

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

    const rows = await query<{ eventId: string; record: string | null; body: Uint8Array | null }>(
      server,
      `SELECT "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE "keyId" = $1::uuid AND "eventName" = 'Encrypt' AND "errorCode" IS NULL`,
      [keyId],
    );
    const recorded = new Set(rows.map((r) => (JSON.parse(decodeRecord(r)) as { requestID: string }).requestID));
    const lost = [...succeeded].filter((id) => !recorded.has(id));
    expect(lost).toEqual([]);

    // Restart on the same data: it comes up, starts a new chain, and the trail verifies.
    server = await startApiServer({ dataDir: server.dataDir, databaseUrl: server.env.DATABASE_URL });
    const verify = server.cli(["audit", "verify", "--json"]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  }, 120_000);

  it("leaves no key, alias, tag, policy, grant or state change without its committed event after kill -9 under mixed changes", async () => {
    await server?.stop();
    server = await startApiServer();
    const kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    const started = new Date();
    let stop = false;
    let n = 0;
    const policy = (arn: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "root", Effect: "Allow", Principal: { AWS: arn }, Action: "kms:*", Resource: "*" }] });
    const worker = async (w: number) => {
      while (!stop) {
        try {
          const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `mixed ${w}` }));
          const KeyId = KeyMetadata!.KeyId!;
          const account = KeyMetadata!.AWSAccountId!;
          const i = n++;
          await kms.send(new CreateAliasCommand({ AliasName: `alias/crash-${w}-${i}`, TargetKeyId: KeyId }));
          await kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: "load", TagValue: String(i) }] }));
          await kms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: "default", Policy: policy(`arn:aws:iam::${account}:root`) }));
          await kms.send(new CreateGrantCommand({ KeyId, GranteePrincipal: `arn:aws:iam::${account}:root`, Operations: ["Encrypt"] }));
          await kms.send(i % 2 ? new DisableKeyCommand({ KeyId }) : new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
        } catch {
          if (stop) return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Until a few dozen changes are in (bounded, on a slow machine), then kill in the middle.
    for (let waited = 0; n < 12 && waited < 20_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 300));
    await server.kill9(); // in the middle of the load
    stop = true;
    await Promise.all(workers);
    kms.destroy();
    expect(n).toBeGreaterThan(4);

    // Every state in the database must be explained by a committed event.
    const since = [started.toISOString()];
    const unexplained = {
      keys: await query(server, `SELECT k.id FROM "KmsKey" k WHERE k."createdAt" >= $1 AND NOT EXISTS (
          SELECT 1 FROM "AuditEvent" e WHERE e."keyId" = k.id AND e."eventName" = 'CreateKey' AND e."errorCode" IS NULL)`, since),
      aliases: await unexplainedBy(server, `SELECT a.name, a."keyId" FROM "Alias" a WHERE a."createdAt" >= $1`, since, "CreateAlias", (r) => r.requestParameters?.aliasName),
      tags: await query(server, `SELECT t."keyId" FROM "KeyTag" t JOIN "KmsKey" k ON k.id = t."keyId" WHERE k."createdAt" >= $1 AND NOT EXISTS (
          SELECT 1 FROM "AuditEvent" e WHERE e."keyId" = t."keyId" AND e."eventName" = 'TagResource' AND e."errorCode" IS NULL)`, since),
      policies: await query(server, `SELECT k.id FROM "KmsKey" k WHERE k."createdAt" >= $1 AND k.policy LIKE '%"Sid":"root"%' AND NOT EXISTS (
          SELECT 1 FROM "AuditEvent" e WHERE e."keyId" = k.id AND e."eventName" = 'PutKeyPolicy' AND e."errorCode" IS NULL)`, since),
      grants: await unexplainedBy(server, `SELECT g.id AS name, g."keyId" FROM "KmsGrant" g WHERE g."createdAt" >= $1`, since, "CreateGrant", (r) => r.responseElements?.grantId),
      states: await query(server, `SELECT k.id, k."keyState" FROM "KmsKey" k WHERE k."createdAt" >= $1 AND k."keyState" <> 'Enabled' AND NOT EXISTS (
          SELECT 1 FROM "AuditEvent" e WHERE e."keyId" = k.id AND e."errorCode" IS NULL
            AND e."eventName" = CASE k."keyState" WHEN 'Disabled' THEN 'DisableKey' WHEN 'PendingDeletion' THEN 'ScheduleKeyDeletion' END)`, since),
    };
    expect(unexplained).toEqual({ keys: [], aliases: [], tags: [], policies: [], grants: [], states: [] });

    server = await startApiServer({ dataDir: server.dataDir, databaseUrl: server.env.DATABASE_URL });
    const verify = server.cli(["audit", "verify", "--json"]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);
});
