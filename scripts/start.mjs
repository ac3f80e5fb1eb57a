// `npm start`: builds the console when the build is missing or older than the
// sources, then runs server.ts (TypeScript through tsx) in this process.
import { spawnSync } from "node:child_process";
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
    const r = spawnSync(process.execPath, [next, "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const { register } = await import("tsx/esm/api");
register({ tsconfig: join(root, "tsconfig.json") });
await import(join(root, "server.ts"));
