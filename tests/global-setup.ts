// Gives every test file one migrated database: the PostgreSQL in DATABASE_URL
// (as in CI) or, when unset, an in-memory embedded PGlite served on a loopback
// port exactly as `npm start` serves it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMigrations } from "../lib/db/migrate";
import { startEmbeddedDatabase } from "../lib/db/embedded";

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
  await runMigrations(process.env.DATABASE_URL);
  return async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
