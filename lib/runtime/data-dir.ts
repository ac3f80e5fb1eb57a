// The data folder holds the embedded database, generated secrets and the
// admin socket: private to the service's OS user.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if ((statSync(dataDir).mode & 0o077) !== 0) chmodSync(dataDir, 0o700);
}

/** Reads a secret file, creating it (mode 0600, exclusive) with fresh random bytes on first use. */
export function readOrCreateSecret(dataDir: string, name: string, bytes = 32): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(bytes).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process created it first
    }
  }
  return readFileSync(file, "utf8").trim();
}
