// Starting a server under measurement: a free port, and waiting until it answers.
import { createServer } from "node:http";

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers 2xx; rejects with the server's log if it exits or the deadline passes. */
export async function waitFor(url, child, log, { timeoutMs = 90_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server not ready:\n${log()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
