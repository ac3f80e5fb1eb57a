// One process per data folder: the embedded database, the root key and the
// admin socket belong to whoever holds `<dataDir>/keyhold.lock`. Two servers
// (or a server and the CLI opening the database itself) on one folder lose
// acknowledged writes.
//
// The lock file holds the holder's pid and start time, and is created
// complete and exclusively: written under a unique name, then link()ed to
// keyhold.lock (fails if it exists). A lock whose holder is dead (kill -9, a
// crash) is stale; it is replaced by rename() only while holding
// keyhold.lock.takeover (also taken by link()), after checking again that it
// is the same stale lock, so two starters cannot both take it over.
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type LockHolderKind = "server" | "cli";

export interface LockHolder {
  pid: number;
  /** Start time of the process (/proc/<pid>/stat), to tell a reused pid from the holder. */
  start: string | null;
  kind: LockHolderKind;
  nonce: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.kind === "cli" ? "the keyhold CLI" : "another Keyhold server";
    super(`the data folder ${dataDir} is in use by ${who} (pid ${holder.pid}); stop it or use another KEYHOLD_DATA_DIR`);
    this.name = "DataDirLockedError";
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours. Also runs on process exit. */
  release(): void;
}

export const lockFilePath = (dataDir: string) => join(dataDir, "keyhold.lock");

/**
 * The process's start (boot id + clock ticks since boot, Linux), or null where
 * /proc is missing. The boot id tells a lock left before a reboot from one
 * taken by the process that got the same pid after it (pid 1 in a container).
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command name (field 2) may hold spaces and parentheses.
    const ticks = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return ticks ? `${readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()}/${ticks}` : null;
  } catch {
    return null;
  }
}

export function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false; // ESRCH: no such process
  }
  // The pid exists: is it still the holder, or a new process that got its pid?
  const start = processStartTime(holder.pid);
  return holder.start === null || start === null || start === holder.start;
}

function readHolder(file: string): { raw: string; holder: LockHolder | null } | null {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    const h = JSON.parse(raw) as LockHolder;
    return { raw, holder: Number.isInteger(h.pid) && h.pid > 0 ? h : null };
  } catch {
    return { raw, holder: null }; // unreadable: no live holder can be named, so stale
  }
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The live holder of the data folder's lock, if any. */
export function dataDirLockHolder(dataDir: string): LockHolder | null {
  const seen = readHolder(lockFilePath(dataDir));
  return seen?.holder && isAlive(seen.holder) ? seen.holder : null;
}

/**
 * Takes the data folder's lock for this process, or throws DataDirLockedError
 * naming the live holder. The folder must exist.
 */
export function lockDataDir(dataDir: string, kind: LockHolderKind): DataDirLock {
  const file = lockFilePath(dataDir);
  const guard = `${file}.takeover`;
  const me: LockHolder = { pid: process.pid, start: processStartTime(process.pid), kind, nonce: randomBytes(12).toString("hex") };
  const mine = JSON.stringify(me);
  const candidate = `${file}.${me.nonce}`;
  writeFileSync(candidate, mine, { mode: 0o600, flag: "wx" });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(candidate, file);
        return held(file, me.nonce);
      } catch (e) {
        if (code(e) !== "EEXIST") throw e;
      }
      const seen = readHolder(file);
      if (!seen) continue; // released meanwhile: try again
      if (seen.holder && isAlive(seen.holder)) throw new DataDirLockedError(dataDir, seen.holder);
      if (attempt >= 50) throw new Error(`cannot take over the stale lock ${file}; remove it if no Keyhold process uses ${dataDir}`);
      if (!takeGuard(candidate, guard)) {
        sleep(20); // another process is taking over the stale lock: see who wins
        continue;
      }
      try {
        // Still the stale lock we saw (not released, not taken over meanwhile)?
        if (readHolder(file)?.raw === seen.raw) {
          renameSync(candidate, file);
          return held(file, me.nonce);
        }
      } finally {
        unlinkSync(guard);
      }
    }
  } finally {
    try {
      unlinkSync(candidate);
    } catch {
      /* renamed onto the lock */
    }
  }
}

function takeGuard(candidate: string, guard: string): boolean {
  try {
    linkSync(candidate, guard);
    return true;
  } catch (e) {
    if (code(e) !== "EEXIST") throw e;
  }
  // A guard whose holder died during its take-over (a window of microseconds) is removed.
  const seen = readHolder(guard);
  if (seen && !(seen.holder && isAlive(seen.holder))) {
    try {
      unlinkSync(guard);
    } catch {
      /* removed by another starter */
    }
  }
  return false;
}

function held(file: string, nonce: string): DataDirLock {
  const release = () => {
    process.off("exit", release);
    const seen = readHolder(file);
    if (seen?.holder?.nonce === nonce) unlinkSync(file);
  };
  process.on("exit", release);
  return { release };
}
