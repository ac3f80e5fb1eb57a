// The process's open connections to custom key store tokens, one session pool
// per store. Whether a store is connected is decided in the database (so every
// instance and worker agrees); a process opens its pool lazily on first use and
// opens it again after the token was lost or its worker process was replaced.
import { logger } from "@/lib/log";
import { connectionErrorOf, describeHsmError, isLostConnection } from "./errors";
import { tokenHost } from "./module";
import { SessionPool } from "./session-pool";
import { hsmCall } from "./timeout";

export interface TokenCredentials {
  /** The token label (AWS: CloudHsmClusterId). */
  label: string;
  /** The token's user PIN (AWS: KeyStorePassword). Never logged. */
  pin: string;
}

const g = globalThis as unknown as { keyholdHsmPools?: Map<string, { label: string; pool: SessionPool }> };
const pools = () => (g.keyholdHsmPools ??= new Map());

/** Opens a logged-in pool on the token; throws TokenProblem, the PKCS#11 error or HsmTimeout. */
function openPool(storeId: string, credentials: TokenCredentials): Promise<SessionPool> {
  return SessionPool.open(tokenHost(credentials.label), storeId, credentials.label, credentials.pin);
}

/** Does a token with this label exist in the library? (CreateCustomKeyStore, UpdateCustomKeyStore.) */
export async function tokenState(label: string): Promise<"absent" | "uninitialized" | "ready"> {
  return hsmCall(tokenHost(label), "tokenState", { token: label });
}

/**
 * Logs in to the store's token (ConnectCustomKeyStore): the ConnectionErrorCode
 * on failure, undefined when connected. A previous pool of the store is replaced.
 */
export async function connectToken(storeId: string, credentials: TokenCredentials): Promise<string | undefined> {
  disconnectToken(storeId);
  try {
    const pool = await openPool(storeId, credentials);
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
  const pool = await openPool(storeId, creds);
  pools().set(storeId, { label: creds.label, pool });
  return pool;
}

/**
 * Runs `fn` on the store's pool. When the token was lost (removed, restarted,
 * sessions invalidated) and the worker could not log in again by itself, the
 * pool is dropped and `fn` is tried once more on a fresh login.
 */
export async function withTokenSession<T>(
  storeId: string,
  credentials: () => Promise<TokenCredentials>,
  fn: (pool: SessionPool) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const pool = await tokenPool(storeId, credentials);
    try {
      return await fn(pool);
    } catch (e) {
      if (!isLostConnection(e) || attempt > 0) throw e;
      logger.warn({ customKeyStoreId: storeId, err: describeHsmError(e) }, "HSM token lost; reconnecting");
      disconnectToken(storeId);
    }
  }
}
