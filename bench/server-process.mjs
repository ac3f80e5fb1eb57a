// Starting a server under measurement: a free port, and waiting until it answers.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { BENCH_CREDENTIALS } from "./signed-request.mjs";

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers 2xx; rejects with the server's log if it exits or the deadline passes. */
export async function waitFor(url, child, log, { timeoutMs = 90_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server not ready:\n${log()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The API server (scripts/start-api.mjs) as every benchmark starts it: on
 * `databaseUrl` (else the embedded database, whatever this shell's
 * DATABASE_URL), the bench's access key bootstrapped, its output kept for
 * error reports. `env` adds or overrides variables; `nodeArgs` go before the script.
 */
export function startBenchApiServer({ port, dataDir, databaseUrl, env = {}, nodeArgs = [] }) {
  const { DATABASE_URL: _shell, ...inherited } = process.env;
  let log = "";
  const server = spawn(process.execPath, [...nodeArgs, "scripts/start-api.mjs"], {
    env: {
      ...inherited,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      KEYHOLD_DATA_DIR: dataDir,
      KEYHOLD_API_PORT: String(port),
      HOST: "127.0.0.1",
      KEYHOLD_ADMIN_PASSWORD: "bench admin password",
      KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
      KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  return { server, endpoint: `http://127.0.0.1:${port}`, log: () => log };
}
