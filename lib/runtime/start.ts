// The first steps of both entry points: read the configuration and boot, or
// stop the process with one clear line saying why.
import { ConfigError, parseConfig, type Config } from "@/lib/config";
import type { Booted } from "./boot";

export async function configureAndBoot(what: string, options: { worker?: boolean } = {}): Promise<{ cfg: Config; booted: Booted }> {
  let cfg: Config;
  try {
    cfg = parseConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  // Loaded only now: they read the environment the configuration settled.
  const { logger } = await import("@/lib/log");
  const { boot } = await import("./boot");
  try {
    return { cfg, booted: await boot(cfg, options) };
  } catch (e) {
    logger.fatal({ err: e }, "start-up failed");
    console.error(`${what} cannot start: ${e instanceof Error ? e.message.split("\n")[0] : e}`);
    process.exit(1);
  }
}
