// Applies pending migrations with the Prisma CLI (WASM schema engine, see
// prisma.config.ts) in a child process, so no native engine is needed.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export async function runMigrations(databaseUrl: string | undefined, quiet = true): Promise<void> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("prisma/package.json")), "build", "index.js");
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" },
    });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!quiet && output) process.stdout.write(output);
      if (code === 0) resolve();
      else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output.trim()}`));
    });
  });
}
