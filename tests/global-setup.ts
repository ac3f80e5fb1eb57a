// Gives every test file one migrated database: the PostgreSQL in DATABASE_URL
// (as in CI) or, when unset, an in-memory embedded PGlite served on a loopback
// port exactly as `npm start` serves it.
import { runMigrations } from "../lib/db/migrate";
import { startEmbeddedDatabase } from "../lib/db/embedded";

export default async function setup() {
  let stop = async () => {};
  if (!process.env.DATABASE_URL) {
    const embedded = await startEmbeddedDatabase("memory://");
    process.env.DATABASE_URL = embedded.url;
    process.env.DB_POOL_MAX = "1";
    stop = embedded.stop;
  }
  await runMigrations(process.env.DATABASE_URL);
  return stop;
}
