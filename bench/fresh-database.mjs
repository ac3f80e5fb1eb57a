// A fresh database next to the one in `databaseUrl` (which need not exist),
// dropped and created again: `<name>_<suffix>`. Returns its URL.
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
