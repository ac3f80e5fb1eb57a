// A fresh database next to the one in `databaseUrl` (which need not exist),
// dropped and created again: `<name>_<suffix>`. Returns its URL.
import { spawnSync } from "node:child_process";
import pg from "pg";

export async function freshDatabase(databaseUrl, suffix) {
  const url = new URL(databaseUrl);
  const name = `${url.pathname.slice(1) || "keyhold"}_${suffix}`;
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  url.pathname = `/${name}`;
  return url.toString();
}

/** Applies the migrations to `url` as production does (`prisma migrate deploy`). */
export function migrate(url) {
  const run = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`migrations failed:\n${run.stdout}${run.stderr}`);
}
