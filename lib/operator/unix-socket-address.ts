// A Unix socket's path must fit in sun_path (108 bytes on Linux, 104 on
// macOS). For a socket in a folder with a longer path, Linux offers
// /proc/self/fd/<fd>/<name>: through an open descriptor of the folder, bind()
// and connect() reach the same file with a short path.
import { closeSync, constants, existsSync, openSync } from "node:fs";
import { join } from "node:path";

const MAX_SOCKET_PATH = 100;

export interface UnixSocketAddress {
  /** The path to pass to listen() or connect(). */
  path: string;
  /** Closes the folder descriptor; call it only once the socket is closed (Node unlinks a server's socket by this path). */
  close(): void;
}

/** The address of `<dir>/<name>`, or null when the path is too long and there is no /proc (not Linux). */
export function unixSocketAddress(dir: string, name: string): UnixSocketAddress | null {
  const full = join(dir, name);
  if (Buffer.byteLength(full) <= MAX_SOCKET_PATH) return { path: full, close: () => {} };
  if (!existsSync("/proc/self/fd")) return null;
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  let open = true;
  return {
    path: `/proc/self/fd/${fd}/${name}`,
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
