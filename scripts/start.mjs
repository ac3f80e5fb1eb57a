// `npm start`: builds the console when the build is missing or older than the
// sources, then runs server.ts (TypeScript through tsx) in this process. The
// npm script execs node (`exec node scripts/start.mjs`): without it, npm's
// shell would take the SIGTERM of a container stop and leave the server
// running as an orphan.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const buildId = join(root, ".next", "BUILD_ID");
const SOURCES = ["app", "components", "lib", "public", "next.config.mjs", "postcss.config.mjs", "package.json", "proxy.ts"];
const SKIP = new Set(["generated", "node_modules"]);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry) || entry.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const dev = process.env.NODE_ENV === "development";
if (!dev) {
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const changedAt = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))));
  if (builtAt < changedAt) {
    console.log(builtAt ? "Sources changed since the last build: building the console…" : "Building the console (first start)…");
    const next = join(root, "node_modules", "next", "dist", "bin", "next");
    const build = spawn(process.execPath, [next, "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    });
    // A stop during the build stops the build too (no orphaned `next build`).
    const forward = (signal) => build.kill(signal);
    process.on("SIGTERM", forward);
    process.on("SIGINT", forward);
    const code = await new Promise((resolve) => build.once("exit", (c) => resolve(c)));
    process.off("SIGTERM", forward);
    process.off("SIGINT", forward);
    if (code !== 0) process.exit(code ?? 1);
  }
}

const { register } = await import("tsx/esm/api");
register({ tsconfig: join(root, "tsconfig.json") });
await import(join(root, "server.ts"));
