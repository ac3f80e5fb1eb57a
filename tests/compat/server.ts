// Starts Keyhold's API server (api-server.ts, no Next.js) as a separate
// process for compatibility tests, exactly as an operator would run it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { readAuditRecords, recordSecret, saveServerAuditRecords } from "../secret-registry";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

export const REGION = "us-east-1";
const ADMIN_PASSWORD = "compat admin password";
export const ADMIN_KEY = { accessKeyId: "AKIAKEYHOLDTESTADMIN", secretAccessKey: "kh/test+secret000000000000000000000000AA" };

export interface TestServer {
  endpoint: string;
  port: number;
  pid: number;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Runs the keyhold CLI against this server (through its admin socket). */
  cli(args: string[], stdin?: string): { status: number | null; stdout: string; stderr: string };
  /** Stops the server and removes its data folder (kept with keepDataDir, e.g. to restart on it). */
  stop(options?: { keepDataDir?: boolean }): Promise<void>;
  /** Kills the server without warning (keeps the data folder). */
  kill9(): Promise<void>;
  /** The server process (to signal it and see how it exits). */
  process: ChildProcess;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startApiServer(
  options: {
    dataDir?: string;
    port?: number;
    databaseUrl?: string;
    /** The embedded database in the data folder, whatever the test run uses. */
    embedded?: boolean;
    env?: Record<string, string>;
    /** A Shamir-sealed server is started once /readyz answers "sealed" (503). */
    sealed?: boolean;
  } = {},
): Promise<TestServer> {
  const port = options.port ?? (await freePort());
  recordSecret(ADMIN_KEY.secretAccessKey, "compat ADMIN_KEY.secretAccessKey");
  recordSecret(ADMIN_PASSWORD, "compat KEYHOLD_ADMIN_PASSWORD");
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "keyhold-api-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEYHOLD_DATA_DIR: dataDir,
    KEYHOLD_API_PORT: String(port),
    HOST: "127.0.0.1",
    KEYHOLD_REGION: REGION,
    KEYHOLD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID: ADMIN_KEY.accessKeyId,
    KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY: ADMIN_KEY.secretAccessKey,
    LOG_LEVEL: process.env.KEYHOLD_TEST_SERVER_LOG ?? "warn",
    ...options.env,
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  // Each server gets a database of its own, as a fresh installation would:
  // the test run's embedded database takes one session, and a shared
  // PostgreSQL database has other tests' users coming and going.
  let dropDatabase = async () => {};
  if (options.databaseUrl) {
    /* the caller's own database, used as is */
  } else if (process.env.DB_POOL_MAX === "1" || options.embedded) {
    delete env.DATABASE_URL;
    delete env.DB_POOL_MAX;
  } else if (process.env.DATABASE_URL && !options.dataDir) {
    const url = new URL(process.env.DATABASE_URL);
    const name = `${url.pathname.slice(1)}_api_${port}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  }
  const child: ChildProcess = spawn(process.execPath, ["scripts/start-api.mjs"], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  // In cluster mode /readyz answers as soon as one worker listens; the primary says when all of them do
  // (lib/runtime/api-cluster.ts). A test that needs every worker must not start before that.
  const workers = Number(env.KEYHOLD_API_WORKERS ?? 1);
  const allListening = () => workers <= 1 || output.includes(`${workers} workers)`);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${endpoint}/readyz`);
      if (res.ok && allListening()) break;
      if (options.sealed && res.status === 503 && ((await res.json()) as { status?: string }).status === "sealed") break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`API server did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // The server's own audit records, kept for the end-of-run secret scan
  // (tests/secret-registry.ts) before its database goes away.
  const saveAuditForScan = async () => {
    let records: string[];
    if (env.DATABASE_URL && env.DATABASE_URL === process.env.DATABASE_URL) return; // the run's database: scanned anyway
    if (env.DATABASE_URL) {
      records = await readAuditRecords(env.DATABASE_URL);
    } else {
      const { PGlite } = await import("@electric-sql/pglite");
      const db = await PGlite.create(join(dataDir, "pglite"));
      try {
        records = (await db.query<{ eventId: string; record: string | null; body: Uint8Array | null }>(`SELECT "eventId"::text AS "eventId", record, body FROM "AuditEvent" ORDER BY id`)).rows.map((r) => decodeRecord(r));
      } finally {
        await db.close();
      }
    }
    saveServerAuditRecords(`api-${port}-${Date.now()}`, records);
  };
  return {
    endpoint,
    port,
    pid: child.pid!,
    dataDir,
    env,
    cli(args, stdin) {
      const r = spawnSync(process.execPath, ["bin/keyhold.mjs", ...args], { env, input: stdin, encoding: "utf8" });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    async kill9() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    process: child,
    async stop({ keepDataDir = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await saveAuditForScan();
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      await dropDatabase().catch(() => {});
    },
  };
}

/** A user with a role (null: none, as `user create` without --role makes) and an access key of their own, made with the CLI. */
export function makeApiUser(server: TestServer, username: string, role: string | null): { accessKeyId: string; secretAccessKey: string } {
  const created = server.cli(["user", "create", "--username", username, ...(role === null ? [] : ["--role", role])]);
  if (created.status !== 0) throw new Error(created.stderr);
  const key = server.cli(["access-key", "create", "--user", username, "--json"]);
  if (key.status !== 0) throw new Error(key.stderr);
  const { AccessKeyId, SecretAccessKey } = JSON.parse(key.stdout) as { AccessKeyId: string; SecretAccessKey: string };
  recordSecret(SecretAccessKey, `compat access key secret of ${username}`);
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey };
}

export function awsCliAvailable(): boolean {
  return spawnSync("/usr/bin/aws", ["--version"], { encoding: "utf8" }).status === 0;
}
