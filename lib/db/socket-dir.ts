// Where the embedded database listens: a Unix socket in a folder only this OS
// user may enter (the 0700 data folder, or a fresh 0700 temp folder), never a
// TCP port, which every local user could reach without a password.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** pg (like libpq) connects to `<host>/.s.PGSQL.<port>` when host is a folder. */
export const SOCKET_PORT = 5432;
export const SOCKET_FILE = `.s.PGSQL.${SOCKET_PORT}`;
// sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
const MAX_SOCKET_PATH = 100;

const fits = (dir: string) => Buffer.byteLength(join(dir, SOCKET_FILE)) <= MAX_SOCKET_PATH;

export interface SocketDir {
  dir: string;
  /** The socket file's path (to listen on). */
  path: string;
  remove(): void;
}

/**
 * `preferred` (a folder inside the data folder) when its socket path fits,
 * else a private folder made by mkdtemp (mode 0700, ours, unpredictable name).
 * A socket file left by a crash is removed: the caller holds the data folder.
 */
export function privateSocketDir(preferred?: string): SocketDir {
  if (preferred && fits(preferred)) {
    mkdirSync(preferred, { recursive: true, mode: 0o700 });
    if ((statSync(preferred).mode & 0o077) !== 0) chmodSync(preferred, 0o700);
    const path = join(preferred, SOCKET_FILE);
    if (existsSync(path)) unlinkSync(path);
    return { dir: preferred, path, remove: () => rmSync(path, { force: true }) };
  }
  const base = fits(join(tmpdir(), "keyhold-pg-XXXXXX")) ? tmpdir() : "/tmp";
  const dir = mkdtempSync(join(base, "keyhold-pg-"));
  return { dir, path: join(dir, SOCKET_FILE), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A pg connection URL for the socket in `dir` (no TCP host, no password). */
export function socketUrl(dir: string): string {
  // "localhost" only makes the URL valid (WHATWG, Prisma): the host parameter wins.
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${SOCKET_PORT}`;
}
