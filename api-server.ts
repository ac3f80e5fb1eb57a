// The API alone (`npm run start:api`): the AWS-KMS data plane on
// KEYHOLD_API_PORT without loading Next.js, to scale it separately.
import { ConfigError, parseConfig } from "./lib/config";

let cfg;
try {
  cfg = parseConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const { logger } = await import("./lib/log");
const { boot } = await import("./lib/runtime/boot");
let booted;
try {
  booted = await boot(cfg);
} catch (e) {
  logger.fatal({ err: e }, "start-up failed");
  console.error(`Keyhold API cannot start: ${e instanceof Error ? e.message.split("\n")[0] : e}`);
  process.exit(1);
}
const { createKeyholdServer, listen } = await import("./lib/runtime/http");
const { server, shutdown } = createKeyholdServer((_req, res) => {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ message: "This is Keyhold's API server: send AWS KMS requests (X-Amz-Target) to POST /." }));
});
const port = await listen(server, cfg.apiPort, cfg.host);
logger.info({ port, database: booted.database.describe }, "keyhold API ready");
console.log(`\n  Keyhold KMS API listening on http://${cfg.host}:${port} (region ${cfg.region})\n`);
const stop = (signal: string) => void shutdown(signal, () => booted.close());
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
