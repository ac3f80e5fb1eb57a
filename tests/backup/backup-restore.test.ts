// Backup and restore end to end, as an operator runs them: an archive of a
// running server on the embedded database, restored into a fresh PostgreSQL
// database and, from a backup of that one made with the server stopped, into
// a fresh embedded data folder. Every ciphertext made before the first
// backup decrypts after each restore and `keyhold audit verify` passes.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSdkSecrets } from "../secret-registry";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "../compat/server";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

const ROOT_KEY = randomBytes(32).toString("base64");
const postgres = process.env.DB_POOL_MAX !== "1" && process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;
const work = mkdtempSync(join(tmpdir(), "keyhold-backup-"));
const servers: TestServer[] = [];
const databases: string[] = [];

function cli(args: string[], env: Record<string, string | undefined>, stdin?: string) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DB_POOL_MAX;
  const r = spawnSync(process.execPath, ["bin/keyhold.mjs", ...args], { env: { ...base, KEYHOLD_ROOT_KEY: ROOT_KEY, ...env }, input: stdin, encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** A new, empty PostgreSQL database (migrated by the restore). */
async function freshDatabase(suffix: string): Promise<string> {
  const url = new URL(postgres!);
  const name = `${url.pathname.slice(1)}_${suffix}`;
  const admin = new pg.Client({ connectionString: postgres });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  databases.push(name);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Rows in every Keyhold table of a PostgreSQL database. */
async function keyholdRows(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      `SELECT coalesce(sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text::bigint), 0) AS n
         FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}

async function start(options: Parameters<typeof startApiServer>[0]): Promise<TestServer> {
  const s = await startApiServer({ ...options, env: { KEYHOLD_ROOT_KEY: ROOT_KEY, ...options?.env } });
  servers.push(s);
  return s;
}

const kmsOf = (s: TestServer) => recordSdkSecrets(new KMSClient({ endpoint: s.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 }));

type Sample = { keyId: string; ciphertext: Uint8Array; plaintext: string; context: Record<string, string> };

async function decryptAll(s: TestServer, samples: Sample[]): Promise<void> {
  const kms = kmsOf(s);
  try {
    for (let i = 0; i < samples.length; i += 50) {
      await Promise.all(
        samples.slice(i, i + 50).map(async (x) => {
          const r = await kms.send(new DecryptCommand({ CiphertextBlob: x.ciphertext, EncryptionContext: x.context }));
          expect(r.KeyId).toContain(x.keyId);
          expect(Buffer.from(r.Plaintext!).toString()).toBe(x.plaintext);
        }),
      );
    }
  } finally {
    kms.destroy();
  }
}

function auditVerifies(s: TestServer): void {
  const v = s.cli(["audit", "verify"]);
  expect(v.stdout + v.stderr).toMatch(/Audit trail intact/);
  expect(v.status).toBe(0);
}

let original: TestServer;
let samples: Sample[] = [];
const archive = join(work, "first.khb");

beforeAll(async () => {
  original = await start({ embedded: true });
  const kms = kmsOf(original);
  try {
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) keys.push((await kms.send(new CreateKeyCommand({ Description: `backup test ${i}` }))).KeyMetadata!.KeyId!);
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, async (_, j) => {
          const n = i + j;
          const x = { keyId: keys[n % keys.length]!, plaintext: `secret number ${n} ${randomBytes(4).toString("hex")}`, context: { n: String(n) } };
          const r = await kms.send(new EncryptCommand({ KeyId: x.keyId, Plaintext: Buffer.from(x.plaintext), EncryptionContext: x.context }));
          return { ...x, ciphertext: r.CiphertextBlob! };
        }),
      );
      samples.push(...batch);
    }
  } finally {
    kms.destroy();
  }
  // Through the running server (its admin socket): it keeps serving.
  const b = original.cli(["backup", "--out", archive]);
  expect(b.stdout + b.stderr).toMatch(/Backup written to/);
  expect(b.status).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => {});
  if (postgres) {
    const admin = new pg.Client({ connectionString: postgres });
    await admin.connect();
    for (const d of databases) await admin.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  rmSync(work, { recursive: true, force: true });
  samples = [];
});

describe("keyhold backup and restore", () => {
  it("the archive never holds the root key or a plaintext, and is not overwritten", () => {
    const bytes = readFileSync(archive);
    expect(bytes.includes(Buffer.from(ROOT_KEY, "base64"))).toBe(false);
    expect(bytes.includes(Buffer.from("secret number"))).toBe(false);
    expect(bytes.includes(Buffer.from("backup test"))).toBe(false); // key descriptions: the content is encrypted
    const again = original.cli(["backup", "--out", archive]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it("refuses to restore while a server holds the data folder", () => {
    const r = cli(["restore", archive], { KEYHOLD_DATA_DIR: original.dataDir });
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/server is running on the data folder.*stop it first/);
  });

  it.skipIf(!postgres)("restores into PostgreSQL and back into a fresh embedded data folder: every ciphertext decrypts, the audit trail verifies", async () => {
    const url = await freshDatabase("restore_pg");
    const dataDir = join(work, "pg-restored");
    const r = cli(["restore", archive], { DATABASE_URL: url, KEYHOLD_DATA_DIR: dataDir });
    expect(r.out).toMatch(/Restored archive .* Recorded as RestoreBackup/);
    expect(r.status).toBe(0);

    // Into a database that is not empty any more: refused, nothing added.
    const before = await keyholdRows(url);
    const again = cli(["restore", archive], { DATABASE_URL: url, KEYHOLD_DATA_DIR: dataDir });
    expect(again.status).toBe(1);
    expect(again.out).toMatch(/target database is not empty/);
    expect(await keyholdRows(url)).toBe(before);

    const restored = await start({ databaseUrl: url, dataDir });
    await decryptAll(restored, samples);
    auditVerifies(restored);
    await restored.stop({ keepDataDir: true });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const stored = await c.query<{ eventId: string; record: string | null; body: Uint8Array | null }>(`SELECT "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE "eventName" = 'RestoreBackup'`);
    const rows = stored.rows.map((r) => ({ record: decodeRecord(r) }));
    await c.end();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.record)).toMatchObject({ userIdentity: { type: "Root" }, additionalEventData: { via: "cli" } });

    // With no server running the CLI backs up directly (and with a passphrase this time).
    const second = join(work, "second.khb");
    const passphrase = "a long enough backup passphrase";
    const b = cli(["backup", "--out", second, "--passphrase-stdin"], { DATABASE_URL: url, KEYHOLD_DATA_DIR: dataDir }, passphrase);
    expect(b.out).toMatch(/Backup written to .* encrypted under the passphrase/);
    const embeddedDir = join(work, "embedded-restored");
    const ok = cli(["restore", second, "--passphrase-stdin"], { KEYHOLD_DATA_DIR: embeddedDir }, passphrase);
    expect(ok.out).toMatch(/Restored archive/);
    expect(ok.status).toBe(0);
    const embedded = await start({ embedded: true, dataDir: embeddedDir });
    await decryptAll(embedded, samples);
    auditVerifies(embedded);
  }, 120_000);

  it.skipIf(!postgres)("refuses a tampered archive, or another root key, and writes nothing", async () => {
    const url = await freshDatabase("restore_bad");
    const dataDir = join(work, "bad");
    const tampered = join(work, "tampered.khb");
    copyFileSync(archive, tampered);
    const bytes = readFileSync(tampered);
    bytes[bytes.length - 200]! ^= 0x20; // inside the last chunk: found only after reading all before it
    writeFileSync(tampered, bytes);
    const t = cli(["restore", tampered], { DATABASE_URL: url, KEYHOLD_DATA_DIR: dataDir });
    expect(t.status).toBe(1);
    expect(t.out).toMatch(/the archive was changed or is incomplete/);
    expect(await keyholdRows(url)).toBe(0);

    const other = cli(["restore", archive], { DATABASE_URL: url, KEYHOLD_DATA_DIR: dataDir, KEYHOLD_ROOT_KEY: randomBytes(32).toString("base64") });
    expect(other.status).toBe(1);
    expect(other.out).toMatch(/the archive was not made with this root key, or it was changed/);
    expect(await keyholdRows(url)).toBe(0);

    // A passphrase archive opens with any root key, but its key material would not: refused as well.
    const withPassphrase = join(work, "passphrase.khb");
    const passphrase = "another long backup passphrase";
    expect(original.cli(["backup", "--out", withPassphrase, "--passphrase-stdin"], passphrase).status).toBe(0);
    const env = { DATABASE_URL: url, KEYHOLD_DATA_DIR: dataDir, KEYHOLD_ROOT_KEY: randomBytes(32).toString("base64") };
    const wrongPassphrase = cli(["restore", withPassphrase, "--passphrase-stdin"], env, "not the passphrase at all");
    expect(wrongPassphrase.out).toMatch(/the archive was not made with this passphrase, or it was changed/);
    const wrongRoot = cli(["restore", withPassphrase, "--passphrase-stdin"], env, passphrase);
    expect(wrongRoot.status).toBe(1);
    expect(wrongRoot.out).toMatch(/the archive was not made with this root key, or it was changed/);
    expect(await keyholdRows(url)).toBe(0);
  }, 90_000);
});
