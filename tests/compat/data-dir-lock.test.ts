// One process per data folder, with real servers and the real CLI: a second
// server is refused, a lock left by kill -9 is taken over, the CLI reaches
// the server at any data-folder path length and never opens the database
// beside a server, and no server starts beside the CLI.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { adminSocketPath } from "@/lib/operator/admin-socket";
import { lockDataDir, lockFilePath } from "@/lib/runtime/data-dir-lock";
import { startApiServer, type TestServer } from "./server";

const root = mkdtempSync(join(tmpdir(), "keyhold-lock-compat-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop().catch(() => {});
});

// The embedded database: it is what two processes on one folder corrupt.
async function start(dataDir?: string): Promise<TestServer> {
  const server = await startApiServer({ dataDir, embedded: true });
  servers.push(server);
  return server;
}

const lockHolder = (dataDir: string) => (JSON.parse(readFileSync(lockFilePath(dataDir), "utf8")) as { pid: number }).pid;

/** The CLI with no server for its data folder. */
function cli(dataDir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEYHOLD_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, ["bin/keyhold.mjs", ...args], { env, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Each test starts servers on the embedded database: allow for slow machines.
describe("one process per data folder", { timeout: 240_000 }, () => {
  // One running server for the first three tests, in order (starts are slow).
  let running: TestServer;
  let killed = false;
  afterAll(async () => {
    if (running && !killed) await running.stop(); // a test failed before the kill -9 one
  });

  it("refuses a second server on the data folder of a running one, naming the folder and the holder", async () => {
    running = await startApiServer({ embedded: true });
    await expect(start(running.dataDir)).rejects.toThrow(
      `the data folder ${running.dataDir} is in use by another Keyhold server (pid ${running.pid})`,
    );
    expect((await fetch(`${running.endpoint}/readyz`)).ok).toBe(true);
    expect(lockHolder(running.dataDir)).toBe(running.pid);
  });

  it("fails the CLI with a clear message when the server holding the folder cannot be reached", () => {
    unlinkSync(adminSocketPath(running.dataDir)); // the server runs on, unreachable for the CLI
    const r = running.cli(["user", "create", "--username", "not-beside-the-server"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `keyhold: the data folder ${running.dataDir} is held by a Keyhold server (pid ${running.pid}): it is starting, or its admin socket is unreachable`,
    );
  });

  it("takes over the lock a server killed with kill -9 left", async () => {
    await running.kill9();
    killed = true;
    expect(lockHolder(running.dataDir)).toBe(running.pid); // stale: its holder is gone
    const next = await start(running.dataDir);
    expect(lockHolder(next.dataDir)).toBe(next.pid);
    expect(next.cli(["user", "list"]).status).toBe(0); // its admin socket is back
  });

  it("runs the CLI through the server when the data folder path is too long for a plain socket path", async () => {
    const dataDir = join(root, `long-${"d".repeat(120)}`);
    expect(Buffer.byteLength(dataDir)).toBeGreaterThan(120);
    const first = await start(dataDir);
    const created = first.cli(["user", "create", "--username", "long-path-operator"]);
    expect(created.status, created.stderr).toBe(0);
    servers.pop();
    await first.stop({ keepDataDir: true });

    const restarted = await start(dataDir);
    const listed = restarted.cli(["user", "list", "--json"]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("long-path-operator");
  });

  it("refuses a server while the CLI holds the folder, and the CLI releases it when done", async () => {
    const dataDir = mkdtempSync(join(root, "cli-"));
    // This test process takes the lock exactly as the CLI does for its direct database access.
    const held = lockDataDir(dataDir, "cli");
    await expect(start(dataDir)).rejects.toThrow(`the data folder ${dataDir} is in use by the keyhold CLI (pid ${process.pid})`);
    held.release();

    // With no server, the real CLI opens the database itself under the lock, and lets go.
    const created = cli(dataDir, ["user", "create", "--username", "made-without-a-server"]);
    expect(created.status, created.stderr).toBe(0);
    expect(existsSync(lockFilePath(dataDir))).toBe(false);
    const listed = cli(dataDir, ["user", "list", "--json"]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("made-without-a-server");
  });
});
