// Keyhold's entry point (`npm start`): console (Next.js) and the AWS-KMS API
// on one port, plus /healthz and /readyz. See lib/runtime/boot.ts for what
// happens before the first request is served.
import next from "next";
import { configureAndBoot } from "./lib/runtime/start";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const t0 = performance.now();

const { cfg, booted } = await configureAndBoot("Keyhold");
const { logger } = await import("./lib/log");
const { createKeyholdServer, listen } = await import("./lib/runtime/http");
const { startBackgroundJobs } = await import("./lib/runtime/jobs");
const { VERSION } = await import("./lib/version");

const dev = process.env.NODE_ENV === "development";
const app = next({ dev, hostname: cfg.host, port: cfg.port });
const handle = app.getRequestHandler();
await app.prepare();

const { server, shutdown } = createKeyholdServer(handle);
const port = await listen(server, cfg.port, cfg.host);
const jobs = startBackgroundJobs();

const url = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
logger.info(
  { version: VERSION, port, database: booted.database.describe, account: booted.account, ms: Math.round(performance.now() - t0) },
  "keyhold ready",
);
// The banner goes to stdout once, for the person who ran `npm start`.
const lines = [
  "",
  `  Keyhold ${VERSION} is running at ${url}`,
  `  KMS API:  POST ${url}/ (AWS SDK/CLI: --endpoint-url ${url} --region ${cfg.region})`,
  `  Database: ${booted.database.describe}   Account: ${booted.account}   Root key: ${booted.keyStore}`,
];
if (booted.rootKeyNotice) lines.push(`  ${booted.rootKeyNotice}`);
const { bootstrap } = booted;
if (bootstrap.created && bootstrap.generatedPassword) {
  lines.push(
    `  First administrator created. Sign in as "${bootstrap.username}" with the one-time password:`,
    `      ${bootstrap.generatedPassword}`,
    `  You will be asked to choose a new password. This password is not shown again.`,
  );
} else if (bootstrap.created) {
  lines.push(`  First administrator "${bootstrap.username}" created with the password from KEYHOLD_ADMIN_PASSWORD.`);
} else {
  lines.push(`  Sign in with your Keyhold user. Operators: npx keyhold user reset-password --username NAME`);
}
console.log(lines.join("\n") + "\n");

const stop = (signal: string) =>
  void shutdown(signal, async () => {
    await jobs.stop();
    await booted.close();
  });
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
