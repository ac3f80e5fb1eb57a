// A throwaway PostgreSQL cluster of the test's own (initdb + pg_ctl in a temp
// folder, on a free port) that a test may freeze, stop and restart. Never the
// machine's cluster. As root (CI), the server runs as the `postgres` OS user.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { userInfo, tmpdir } from "node:os";
import { join } from "node:path";

const BIN = "/usr/lib/postgresql/15/bin";

export interface PrivatePostgres {
  url: string;
  /** The postmaster and every backend of this cluster. */
  pids(): number[];
  /** SIGSTOP (freeze) or SIGCONT (thaw) every process of the cluster. */
  signalAll(signal: "SIGSTOP" | "SIGCONT"): void;
  stop(): void;
  start(): void;
  destroy(): void;
}

/** Why a private cluster cannot run here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!existsSync(join(BIN, "initdb"))) return `initdb not found in ${BIN}`;
  const me = userInfo().username;
  if (me !== "root" && me !== "postgres") return `running as ${me}: initdb needs root (to run as postgres) or the postgres user`;
  return undefined;
}

function asPostgres(cmd: string, args: string[]) {
  const root = userInfo().username === "root";
  const [file, argv] = root ? ["runuser", ["-u", "postgres", "--", join(BIN, cmd), ...args]] : [join(BIN, cmd), args];
  execFileSync(file, argv, { stdio: "pipe", cwd: "/tmp" });
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  const dir = mkdtempSync(join(tmpdir(), "keyhold-pg-"));
  if (userInfo().username === "root") {
    const pgUser = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const pgGroup = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, pgUser, pgGroup);
  }
  const data = join(dir, "data");
  asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pg: PrivatePostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    pids() {
      const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" }).stdout;
      return [postmaster, ...children.split(/\s+/).filter(Boolean).map(Number)];
    },
    signalAll(signal) {
      for (const pid of pg.pids()) {
        try {
          process.kill(pid, signal);
        } catch {
          /* a backend that just ended */
        }
      }
    },
    stop() {
      asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    start() {
      asPostgres("pg_ctl", ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "start"]);
    },
    destroy() {
      try {
        pg.signalAll("SIGCONT");
        pg.stop();
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pg.start();
  return pg;
}
