// The data folder's lock (lib/runtime/data-dir-lock.ts) in one process: the
// rules that decide between refusing and taking over. Real processes are in
// tests/compat/data-dir-lock.test.ts.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir, lockFilePath, processStartTime } from "@/lib/runtime/data-dir-lock";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "keyhold-lock-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const holderOf = () => JSON.parse(readFileSync(lockFilePath(dataDir), "utf8")) as { pid: number; kind: string };
const writeLock = (holder: object) => writeFileSync(lockFilePath(dataDir), JSON.stringify(holder));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

describe("the data folder lock", () => {
  it("is exclusive while held and free again once released", () => {
    const lock = lockDataDir(dataDir, "server");
    expect(holderOf()).toMatchObject({ pid: process.pid, kind: "server" });
    let refused: unknown;
    try {
      lockDataDir(dataDir, "cli");
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toBe(
      `the data folder ${dataDir} is in use by another Keyhold server (pid ${process.pid}); stop it or use another KEYHOLD_DATA_DIR`,
    );
    lock.release();
    expect(readdirSync(dataDir)).toEqual([]); // no lock, no leftover candidate or guard file
    lockDataDir(dataDir, "cli").release();
  });

  it("takes over the lock of a dead process", () => {
    const pid = deadPid();
    writeLock({ pid, start: null, kind: "server", nonce: "dead" });
    const lock = lockDataDir(dataDir, "server");
    expect(holderOf()).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("takes over a lock whose pid now belongs to another process (pid reuse)", () => {
    // The parent process is alive, but it is not the process that wrote this lock.
    writeLock({ pid: process.ppid, start: "another-boot/1", kind: "server", nonce: "old" });
    const lock = lockDataDir(dataDir, "server");
    expect(holderOf()).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("refuses while the recorded holder is alive, even another process", () => {
    writeLock({ pid: process.ppid, start: processStartTime(process.ppid), kind: "cli", nonce: "live" });
    expect(() => lockDataDir(dataDir, "server")).toThrow(`in use by the keyhold CLI (pid ${process.ppid})`);
    expect(holderOf()).toMatchObject({ pid: process.ppid }); // untouched
  });

  it("lets exactly one of several processes take over a stale lock at once", async () => {
    writeLock({ pid: deadPid(), start: null, kind: "server", nonce: "dead" });
    const lockModule = join(process.cwd(), "lib/runtime/data-dir-lock.ts");
    // The winner keeps the lock until every contender has answered, then is stopped.
    const script = `import { lockDataDir } from ${JSON.stringify(lockModule)};
try { lockDataDir(process.argv[1], "server"); console.log("won"); setTimeout(() => {}, 120_000); }
catch (e) { console.log(e.name); }`;
    const children = Array.from({ length: 5 }, () =>
      spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dataDir], { stdio: ["ignore", "pipe", "inherit"] }),
    );
    const answers = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = "";
            child.stdout.on("data", (d) => {
              out += d;
              if (out.includes("\n")) resolve(out.trim());
            });
            child.on("exit", () => resolve(out.trim()));
          }),
      ),
    );
    for (const child of children) child.kill();
    expect(answers.filter((a) => a === "won")).toHaveLength(1);
    expect(answers.filter((a) => a === "DataDirLockedError")).toHaveLength(4);
  });

  it("takes over an unreadable lock file", () => {
    writeFileSync(lockFilePath(dataDir), "");
    lockDataDir(dataDir, "server").release();
    expect(existsSync(lockFilePath(dataDir))).toBe(false);
  });

  it("does not remove a lock taken over by another process on release", () => {
    const lock = lockDataDir(dataDir, "server");
    writeLock({ pid: process.ppid, start: processStartTime(process.ppid), kind: "server", nonce: "other" });
    lock.release();
    expect(holderOf()).toMatchObject({ pid: process.ppid });
  });
});
