// The server the Playwright suite drives: a fresh database every run (a new
// embedded data folder, or a fresh `<name>_e2e` database next to
// DATABASE_URL), then `npm start` exactly as a user runs it.
import { rmSync } from "node:fs";
import pg from "pg";
import { e2eSoftHsm } from "./e2e-softhsm.mjs";

const dataDir = process.env.KEYHOLD_DATA_DIR ?? ".e2e-data";
rmSync(dataDir, { recursive: true, force: true });

if (process.env.DATABASE_URL) {
  const url = new URL(process.env.DATABASE_URL);
  const name = `${url.pathname.slice(1) || "keyhold"}_e2e`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
}

// A SoftHSM2 token for the custom key store tests (e2e/key-stores.spec.ts).
Object.assign(process.env, e2eSoftHsm(`${dataDir}-softhsm`));

await import("./start.mjs");
