// The root key store's login on its token: one pool in the token's PKCS#11 worker process
// (../../pkcs11/worker.mjs), which holds the session, the login and the key handle. Every call is
// bounded (KEYHOLD_HSM_TIMEOUT_MS): an HSM that does not answer gives DependencyTimeoutException
// naming the root key's token, and the event loop never waits inside the library. After a worker
// was replaced (it hung and was killed), the next call logs in again with the PIN kept here.
import { DependencyTimeoutException } from "@/lib/errors";
import { isPkcs11Timeout, tokenProblemReason } from "../../pkcs11/errors";
import { pkcs11Host, type Pkcs11Host } from "../../pkcs11/host";

export interface Pkcs11Options {
  module: string;
  tokenLabel: string;
  pin: string;
  /** Longest wait for one HSM call (KEYHOLD_HSM_TIMEOUT_MS). */
  timeoutMs: number;
}

let nextPool = 1;

export class Pkcs11Session {
  readonly #options: Pkcs11Options;
  readonly #host: Pkcs11Host;
  #pool = "";
  #generation = -1;
  #opening: Promise<void> | undefined;
  #closed = false;

  private constructor(options: Pkcs11Options) {
    this.#options = options;
    this.#host = pkcs11Host(options.module, options.tokenLabel);
  }

  /** Finds the token and logs in as the user; the errors name the setting to fix, never the PIN. */
  static async open(options: Pkcs11Options): Promise<Pkcs11Session> {
    const session = new Pkcs11Session(options);
    await session.#login();
    return session;
  }

  async #login(): Promise<void> {
    const { module, tokenLabel, pin } = this.#options;
    const pool = `root#${nextPool++}`;
    const generation = this.#host.generation;
    try {
      await this.#raw("openPool", { pool, token: tokenLabel, pin });
    } catch (e) {
      const reason = tokenProblemReason(e);
      if (reason === "LIBRARY") throw new Error(`could not load the PKCS#11 module ${module} (KEYHOLD_PKCS11_MODULE): ${(e as Error).message}`);
      if (reason === "CLUSTER_NOT_FOUND") throw new Error(`no PKCS#11 token labelled "${tokenLabel}" in ${module} (KEYHOLD_PKCS11_TOKEN_LABEL)`);
      if (reason === "USER_NOT_FOUND") throw new Error(`the PKCS#11 token "${tokenLabel}" has no user PIN set`);
      if (reason || isPkcs11Timeout(e) || e instanceof DependencyTimeoutException) throw e;
      // Never the PIN itself: only PKCS#11's return code (the worker's own errors carry no secret).
      const message = String((e as Error).message);
      throw new Error(`PKCS#11 login to token "${tokenLabel}" failed: ${/CKR_\w+/.exec(message)?.[0] ?? message}`);
    }
    this.#pool = pool;
    this.#generation = generation;
  }

  /** Runs `op` on this login's pool, logging in again first when the worker was replaced. */
  async call<T>(op: string, args: Record<string, unknown>): Promise<T> {
    if (this.#closed) throw new Error("the PKCS#11 root key session is closed");
    if (this.#generation !== this.#host.generation) {
      this.#opening ??= this.#login().finally(() => (this.#opening = undefined));
      await this.#opening;
    }
    return this.#raw<T>(op, { ...args, pool: this.#pool });
  }

  async #raw<T>(op: string, args: Record<string, unknown>): Promise<T> {
    try {
      return await this.#host.call<T>(op, args, this.#options.timeoutMs);
    } catch (e) {
      if (!isPkcs11Timeout(e)) throw e;
      throw new DependencyTimeoutException(
        `The HSM holding the root key (PKCS#11 token "${this.#options.tokenLabel}") did not answer within ${this.#options.timeoutMs} ms. You can retry the request.`,
      );
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // No C_Logout (the login is the application's, shared with custom key stores' sessions on the
    // same token) and no unload: the library stays for the process. A hung worker closes nothing.
    if (this.#generation === this.#host.generation) this.#raw("closePool", { pool: this.#pool }).catch(() => {});
  }
}
