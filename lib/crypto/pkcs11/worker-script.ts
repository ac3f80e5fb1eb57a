// Where worker.mjs is. Beside this file when it runs from source (tsx: server, CLI, tests); the
// Next.js server bundle moves this module's code elsewhere, so then from the project folder.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const WORKER_FILE = "worker.mjs";

function besideThisFile(): string | undefined {
  try {
    return import.meta.url.startsWith("file:") ? join(dirname(fileURLToPath(import.meta.url)), WORKER_FILE) : undefined;
  } catch {
    return undefined;
  }
}

let found: string | undefined;

export function workerScript(): string {
  if (found) return found;
  const candidates = [besideThisFile(), join(process.cwd(), "lib", "crypto", "pkcs11", WORKER_FILE)];
  found = candidates.find((c): c is string => c !== undefined && existsSync(c));
  if (!found) throw new Error(`the PKCS#11 worker script (${WORKER_FILE}) is missing; looked in ${candidates.filter(Boolean).join(", ")}`);
  return found;
}
