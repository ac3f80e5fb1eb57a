// A logged-in pool of one custom key store on its token. The sessions, the
// login and the key handles live in the token's worker process (see
// lib/crypto/pkcs11/worker.mjs); this is the server's name for them. A
// pool is closed when the store disconnects, and counts as closed once its
// worker was replaced (an HSM that hung): the next call logs in again.
import type { Pkcs11Host } from "@/lib/crypto/pkcs11/host";
import { hsmCall } from "./timeout";

let nextPool = 1;

export class SessionPool {
  /** Unique per login, so a pool opened again never meets the old one's late answers. */
  readonly id: string;
  readonly #generation: number;
  #closed = false;

  private constructor(
    readonly host: Pkcs11Host,
    storeId: string,
  ) {
    this.id = `${storeId}#${nextPool++}`;
    this.#generation = host.generation;
  }

  /** Finds the token and logs in: throws the PKCS#11 error (wrong PIN, …), TokenProblem or HsmTimeout. */
  static async open(host: Pkcs11Host, storeId: string, token: string, pin: string): Promise<SessionPool> {
    const pool = new SessionPool(host, storeId);
    await hsmCall(host, "openPool", { pool: pool.id, token, pin });
    // A worker replaced while logging in has no such pool: the caller finds it closed and retries.
    return pool;
  }

  get isClosed(): boolean {
    return this.#closed || this.host.generation !== this.#generation;
  }

  /** Runs `op` on this pool in the worker. */
  call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    return hsmCall<T>(this.host, op, { ...args, pool: this.id });
  }

  /** Closes the pool's sessions (the last one closed logs the application out of the token). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.host.generation === this.#generation) this.call("closePool").catch(() => {}); // a hung worker closes nothing
  }
}
