// The process's open connections to custom key store tokens, one session pool
// per store. Whether a store is connected is decided in the database (so every
// instance and worker agrees); a process opens its pool lazily on first use and
// opens it again after the token was lost.
import { logger } from "@/lib/log";
import { connectionErrorOf, describeHsmError, HsmError, isLostConnection } from "./errors";
import { pkcs11 } from "./module";
import { SessionPool } from "./session-pool";
import { withHsmTimeout } from "./timeout";
import { requireToken } from "./token";

export interface TokenCredentials {
  /** The token label (AWS: CloudHsmClusterId). */
  label: string;
  /** The token's user PIN (AWS: KeyStorePassword). Never logged. */
  pin: string;
}

const g = globalThis as unknown as { keyholdHsmPools?: Map<string, { label: string; pool: SessionPool }> };
const pools = () => (g.keyholdHsmPools ??= new Map());

/** Opens a logged-in pool on the token; throws HsmError or the PKCS#11 error. */
function openPool(credentials: TokenCredentials): SessionPool {
  const { module } = pkcs11();
  const token = requireToken(module, credentials.label);
  if (!token.initialized || !token.userPinInitialized) {
    throw new HsmError("USER_NOT_FOUND", `The token '${credentials.label}' has no user PIN set.`);
  }
  const pool = new SessionPool(module, token.slot, credentials.pin);
  pool.login();
  return pool;
}

/** Does a token with this label exist in the library? (CreateCustomKeyStore, UpdateCustomKeyStore.) */
export async function tokenState(label: string): Promise<"absent" | "uninitialized" | "ready"> {
  return withHsmTimeout(
    Promise.resolve().then(() => {
      const token = requireTokenOrUndefined(label);
      if (!token) return "absent";
      return token.initialized && token.userPinInitialized ? "ready" : "uninitialized";
    }),
  );
}

function requireTokenOrUndefined(label: string) {
  try {
    return requireToken(pkcs11().module, label);
  } catch (e) {
    if (e instanceof HsmError) return undefined;
    throw e;
  }
}

/**
 * Logs in to the store's token (ConnectCustomKeyStore): the ConnectionErrorCode
 * on failure, undefined when connected. A previous pool of the store is replaced.
 */
export async function connectToken(storeId: string, credentials: TokenCredentials): Promise<string | undefined> {
  disconnectToken(storeId);
  try {
    const pool = await withHsmTimeout(Promise.resolve().then(() => openPool(credentials)));
    pools().set(storeId, { label: credentials.label, pool });
    return undefined;
  } catch (e) {
    const code = connectionErrorOf(e);
    logger.warn({ customKeyStoreId: storeId, token: credentials.label, err: describeHsmError(e) }, "cannot connect to the HSM token");
    return code;
  }
}

/** Closes the store's sessions in this process (DisconnectCustomKeyStore, or a store found disconnected). */
export function disconnectToken(storeId: string): void {
  const entry = pools().get(storeId);
  if (!entry) return;
  pools().delete(storeId);
  entry.pool.close();
}

/**
 * Closes every store's sessions in this process (the root key was sealed): a
 * pool opened again needs the store's PIN, which only the root key unwraps.
 */
export function disconnectAllTokens(): void {
  for (const storeId of [...pools().keys()]) disconnectToken(storeId);
}

/** The store's pool in this process, opened now if needed (another instance connected it, or after a restart). */
export async function tokenPool(storeId: string, credentials: () => Promise<TokenCredentials>): Promise<SessionPool> {
  const entry = pools().get(storeId);
  if (entry && !entry.pool.isClosed) return entry.pool;
  const creds = await credentials();
  const pool = await withHsmTimeout(Promise.resolve().then(() => openPool(creds)));
  pools().set(storeId, { label: creds.label, pool });
  return pool;
}

/**
 * Runs `fn` on a session of the store's pool. When the token was lost (removed,
 * restarted, sessions invalidated) the pool is dropped and `fn` is tried once
 * more on a fresh login.
 */
export async function withTokenSession<T>(
  storeId: string,
  credentials: () => Promise<TokenCredentials>,
  fn: (pool: SessionPool, session: import("./module").Handle) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const pool = await tokenPool(storeId, credentials);
    try {
      return await withHsmTimeout(pool.use((session) => fn(pool, session)));
    } catch (e) {
      if (!isLostConnection(e) || attempt > 0) throw e;
      logger.warn({ customKeyStoreId: storeId, err: describeHsmError(e) }, "HSM token lost; reconnecting");
      disconnectToken(storeId);
    }
  }
}
