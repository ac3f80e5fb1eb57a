// The API alone (`npm run start:api`): the AWS-KMS data plane on
// KEYHOLD_API_PORT without loading Next.js, to scale it separately.
import { configureAndBoot } from "./lib/runtime/start";

const { cfg, booted } = await configureAndBoot("Keyhold API");
const { logger } = await import("./lib/log");
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
