// The embedded database is reachable by its own OS user only: pglite-socket
// has no authentication, so it listens on a Unix socket in a 0700 folder
// (inside the data folder, or a private temp folder when that path is too
// long for a socket) and on no TCP port.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";

const root = mkdtempSync(join(tmpdir(), "keyhold-embedded-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Where a URL leads: a Unix socket file, or a TCP host and port. */
function target(url: string): { path: string } | { host: string; port: number } {
  const u = new URL(url);
  const host = u.searchParams.get("host") || u.hostname;
  const port = Number(u.searchParams.get("port") || u.port || 5432);
  return host.startsWith("/") ? { path: join(host, `.s.PGSQL.${port}`) } : { host, port };
}

/** Inodes of the TCP sockets this process listens on (/proc/net/tcp{,6}, state 0A). */
function ownTcpListeners(): Set<string> {
  const listening = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === "0A") listening.add(cols[9]);
    }
  }
  const own = new Set<string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode && listening.has(inode)) own.add(inode);
    } catch {
      /* closed meanwhile */
    }
  }
  return own;
}

/** As the `nobody` user, opens a connection to where the URL leads: "connected" or the error code. */
function connectAsNobody(url: string): string {
  const script = `const c = require("net").connect(JSON.parse(process.argv[1]));
c.on("connect", () => { console.log("connected"); process.exit(0); });
c.on("error", (e) => { console.log(e.code); process.exit(0); });`;
  const r = spawnSync("runuser", ["-u", "nobody", "--", process.execPath, "-e", script, JSON.stringify(target(url))], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`runuser failed: ${r.stderr}`);
  return r.stdout.trim();
}

const asRoot = process.getuid?.() === 0;

describe.each([
  // PGlite in the data folder, the socket beside it.
  { name: "a data folder", folder: "data", pglite: (dir: string) => join(dir, "pglite") },
  // The socket moves to a private temp folder; PGlite in memory keeps the test fast.
  { name: "a data folder whose path is too long for a socket", folder: `long-${"d".repeat(120)}`, pglite: () => "memory://" },
])("the embedded database in $name", ({ folder, pglite }) => {
  const dataDir = join(root, folder);
  let db: EmbeddedDatabase;
  beforeAll(async () => {
    before = ownTcpListeners();
    db = await startEmbeddedDatabase(pglite(dataDir), { socketDir: join(dataDir, "pg-socket") });
  });
  afterAll(async () => db?.stop());
  let before: Set<string>;

  it("serves its own process over a private Unix socket and listens on no TCP port", async () => {
    const to = target(db.url);
    expect(to).toHaveProperty("path");
    expect(statSync(dirname((to as { path: string }).path)).mode & 0o777).toBe(0o700);
    expect([...ownTcpListeners()].filter((inode) => !before.has(inode))).toEqual([]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await client.end();
  });

  // Needs root to run a process as another OS user (CI runs as root).
  it.skipIf(!asRoot)("refuses another OS user (nobody) [skipped unless run as root]", async () => {
    expect(connectAsNobody(db.url)).toBe("EACCES");
    // The owner still gets in while nobody is refused.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.end();
  });
});
