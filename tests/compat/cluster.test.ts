// The API server in cluster mode (KEYHOLD_API_WORKERS=2 on PostgreSQL): calls
// spread over the workers, each worker writes its own audit chain and the
// verifier checks them all, and a key disabled through one worker is refused
// by every worker at once (key cache invalidated by NOTIFY), and so is an
// access key deactivated from the terminal (credential caches, same way).
import { CreateKeyCommand, DecryptCommand, DisableKeyCommand, EncryptCommand, KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, makeApiUser, REGION, startApiServer, type TestServer } from "./server";

// Cluster mode needs PostgreSQL; the embedded database lives inside one process.
const postgres = !!process.env.DATABASE_URL && process.env.DB_POOL_MAX !== "1";

let server: TestServer | undefined;
afterAll(async () => server?.stop());

describe.runIf(postgres)("API cluster mode", () => {
  it("spreads calls over its workers, keeps one verified chain per worker and shares key changes", async () => {
    server = await startApiServer({ env: { KEYHOLD_API_WORKERS: "2" } });
    const kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "cluster test" }));
    const keyId = KeyMetadata!.KeyId!;

    // Many connections at once: the primary hands them to both workers.
    const plaintexts = Array.from({ length: 200 }, (_, i) => Buffer.from(`message ${i}`));
    const blobs = await Promise.all(plaintexts.map((p) => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: p }))));
    const decrypted = await Promise.all(blobs.map((b) => kms.send(new DecryptCommand({ CiphertextBlob: b.CiphertextBlob }))));
    expect(decrypted.map((d) => Buffer.from(d.Plaintext!).toString())).toEqual(plaintexts.map((p) => p.toString()));

    const db = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{ chains: string; events: string }>(
        `SELECT count(DISTINCT "chainId") AS chains, count(*) AS events FROM "AuditEvent" WHERE "keyId" = $1 AND "eventName" IN ('Encrypt', 'Decrypt')`,
        [keyId],
      );
      expect(Number(rows[0]!.events)).toBe(400);
      expect(Number(rows[0]!.chains)).toBe(2);
    } finally {
      await db.end();
    }

    // Disabled through whichever worker takes this call; every worker refuses the key from now on.
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    const refused = await Promise.all(
      plaintexts.slice(0, 50).map((p) => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: p })).then(() => "encrypted", (e: Error) => e.name)),
    );
    expect(new Set(refused)).toEqual(new Set(["DisabledException"]));
    kms.destroy();

    // An access key deactivated from the terminal stops working in every worker at once, not when
    // the workers' credential caches expire (NOTIFY). First make both workers cache it.
    const credentials = makeApiUser(server, "cluster-app", "key-user");
    const app = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 });
    const listed = await Promise.all(Array.from({ length: 40 }, () => app.send(new ListKeysCommand({})).then(() => "ok", (e: Error) => e.name)));
    expect(new Set(listed)).toEqual(new Set(["ok"]));
    const deactivated = server.cli(["access-key", "deactivate", "--access-key-id", credentials.accessKeyId]);
    expect(deactivated.status, deactivated.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 300)); // the NOTIFY's way to the other workers, far below the caches' 10 s
    const afterwards = await Promise.all(Array.from({ length: 40 }, () => app.send(new ListKeysCommand({})).then(() => "ok", (e: Error) => e.name)));
    expect(new Set(afterwards)).toEqual(new Set(["UnrecognizedClientException"]));
    app.destroy();

    const verify = server.cli(["audit", "verify", "--json"]);
    expect(verify.status).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; chains: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.chains.length).toBeGreaterThanOrEqual(2); // one per worker (and the primary's, once it records anything)
  }, 180_000);
});
