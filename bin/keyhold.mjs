#!/usr/bin/env node
// `npx keyhold …`: the operator CLI (TypeScript through tsx, like the server).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Command output owns stdout (e.g. --json); logs are for the server, so here
// only warnings and errors, on stderr.
process.env.LOG_LEVEL ??= "warn";
process.env.KEYHOLD_LOG_TO_STDERR = "1";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { register } = await import("tsx/esm/api");
register({ tsconfig: join(root, "tsconfig.json") });
const { main } = await import(join(root, "cli", "main.ts"));
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Unexpected faults: one line, no stack trace (KEYHOLD_DEBUG=1 shows it).
  console.error(`keyhold: ${e instanceof Error ? e.message.split("\n").find((l) => l.trim()) : e}`);
  if (process.env.KEYHOLD_DEBUG) console.error(e);
  process.exitCode = 1;
}
