// Gives every test file one migrated database: the PostgreSQL in DATABASE_URL
// (as in CI) or, when unset, an in-memory embedded PGlite served on a Unix
// socket (in a private temp folder) exactly as `npm start` serves it. After the last file, scans every
// audit record of the run for every secret the tests registered
// (tests/secret-registry.ts) and fails the run if one is found.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMigrations } from "../lib/db/migrate";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { scanRunForSecrets } from "./secret-registry";

export default async function setup() {
  // A private data folder (root key file, secrets) per run, never the developer's .keyhold.
  const dataDir = mkdtempSync(join(tmpdir(), "keyhold-test-"));
  process.env.KEYHOLD_DATA_DIR = dataDir;
  let stop = async () => {};
  if (!process.env.DATABASE_URL) {
    const embedded = await startEmbeddedDatabase("memory://");
    process.env.DATABASE_URL = embedded.url;
    process.env.DB_POOL_MAX = "1";
    stop = embedded.stop;
  }
  const databaseUrl = process.env.DATABASE_URL;
  await runMigrations(databaseUrl);
  return async () => {
    try {
      const started = Date.now();
      const { secrets, records, findings } = await scanRunForSecrets(dataDir, databaseUrl);
      const summary = `audit secret scan: ${secrets} registered secrets, ${records} audit records, ${Date.now() - started} ms`;
      if (findings.length > 0) {
        const shown = findings.slice(0, 20).map((f) => `  ${f.label} (${f.form}) in ${f.where}`);
        // Vitest only logs a teardown error: the exit code is what fails the run.
        process.exitCode = 1;
        throw new Error(`${summary}: ${findings.length} secret(s) found in the audit trail:\n${shown.join("\n")}`);
      }
      console.log(summary);
    } finally {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
