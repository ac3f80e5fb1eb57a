// Start-up shared by the full server (console + API) and the API-only server:
// data folder (and its lock), secrets, database + migrations, account, first administrator,
// bootstrap access key, root key, admin socket.
import type { Config } from "@/lib/config";
import { logger } from "@/lib/log";
import { prepareDataDir, readOrCreateSecret } from "./data-dir";
import { lockDataDir } from "./data-dir-lock";
import { connectDatabase, type DatabaseHandle } from "./database";

export interface Booted {
  database: DatabaseHandle;
  account: string;
  bootstrap: { created: boolean; username: string; generatedPassword?: string };
  keyStore: string;
  /** A warning about the root key for the banner: unprotected on disk (local), or sealed (shamir). */
  rootKeyNotice?: string;
  close(): Promise<void>;
}

/**
 * `worker`: an API worker process of a primary that booted fully (cluster
 * mode, lib/runtime/api-cluster.ts): the database is migrated, the first
 * administrator and bootstrap access key exist and the admin socket is the
 * primary's, so the worker only connects, loads the root key and caches keys.
 */
export async function boot(cfg: Config, options: { worker?: boolean } = {}): Promise<Booted> {
  const worker = options.worker ?? false;
  prepareDataDir(cfg.dataDir);
  // One process per data folder (the primary's lock covers its workers).
  const lock = worker ? undefined : lockDataDir(cfg.dataDir, "server");
  process.env.NEXTAUTH_URL ??= `http://localhost:${cfg.port}`;
  process.env.NEXTAUTH_SECRET ??= readOrCreateSecret(cfg.dataDir, "nextauth-secret");
  const { readMigrationRecord } = await import("@/lib/crypto/keystore/migration");
  const migrating = readMigrationRecord(cfg.dataDir);
  if (migrating) {
    lock?.release();
    // Some rows are wrapped by the old key and some by the new one: finish before serving.
    throw new Error(`a root key migration to ${migrating.to} was interrupted: finish it with \`keyhold root-key migrate --to ${migrating.to}\` before starting the server`);
  }
  const database = await connectDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, migrate: !worker });

  const { disconnectDatabase } = await import("@/lib/db/client");
  const { accountId } = await import("@/lib/settings/account");
  const { ensureFirstAdministrator } = await import("@/lib/accounts/bootstrap");
  const { ensureBootstrapAccessKey } = await import("@/lib/accounts/access-keys");
  const { rootKeyStore } = await import("@/lib/crypto/keystore/process");
  const { startAdminSocket } = await import("@/lib/operator/admin-socket");

  // The root key must load before anything is served: a missing or unsafe
  // key file stops the server here, with the reason.
  const store = await rootKeyStore();
  const account = await accountId();
  const bootstrap = worker ? { created: false, username: cfg.adminUser } : await ensureFirstAdministrator(cfg.adminUser, cfg.adminPassword);
  const sealed = store.describe().sealed === true;
  if (cfg.bootstrapAccessKey && !worker) {
    try {
      await ensureBootstrapAccessKey(cfg.adminUser, cfg.bootstrapAccessKey.accessKeyId, cfg.bootstrapAccessKey.secretAccessKey);
      logger.info({ accessKeyId: cfg.bootstrapAccessKey.accessKeyId }, "bootstrap access key ensured (meant for CI and local development)");
    } catch (e) {
      // A new bootstrap secret cannot be wrapped while sealed; an existing one needs nothing.
      if (!sealed) throw e;
      logger.warn({ accessKeyId: cfg.bootstrapAccessKey.accessKeyId }, "bootstrap access key not created: the root key is sealed (restart after unsealing)");
    }
  }
  const adminSocket = worker ? undefined : await startAdminSocket(cfg.dataDir);
  // Servers cache key rows; every instance hears of every key change.
  const { enableKeyCache } = await import("@/lib/kms/key-cache");
  const { listenForKeyChanges } = await import("@/lib/kms/key-notifications");
  enableKeyCache();
  const keyListener = database.kind === "postgresql" ? await listenForKeyChanges(process.env.DATABASE_URL!) : undefined;
  const d = store.describe();
  const rootKeyNotice =
    d.kind === "local"
      ? `WARNING: the root key rests unprotected ${d.source === "env" ? "in KEYHOLD_ROOT_KEY" : `on disk (${String(d.path)})`}: see "Choosing where your keys live" in README.md`
      : sealed
        ? `SEALED: the KMS API answers DependencyTimeoutException until ${String(d.threshold)} of ${String(d.custodians)} custodians enter their shares (keyhold unseal, or /unseal in the console)`
        : undefined;
  if (rootKeyNotice) logger.warn({ rootKeyStore: d.kind }, rootKeyNotice);
  return {
    rootKeyNotice,
    database,
    account,
    bootstrap,
    keyStore: `${d.kind}${d.fingerprint ? ` (${String(d.fingerprint)})` : ""}`,
    async close() {
      await adminSocket?.close();
      await keyListener?.close();
      // Failed sign-ins counted since the last summary are recorded before the final digest.
      const { flushAuthFailureAudit } = await import("@/lib/api/auth-failures");
      await flushAuthFailureAudit().catch((e) => logger.error({ err: e }, "could not record the last failed-authentication summary"));
      const { closeAudit } = await import("@/lib/audit");
      await closeAudit().catch((e) => logger.error({ err: e }, "final audit digest failed"));
      await disconnectDatabase().catch(() => {});
      await database.stop().catch(() => {});
      lock?.release();
    },
  };
}
