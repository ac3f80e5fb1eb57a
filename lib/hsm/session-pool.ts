// A pool of sessions on one token, logged in as CKU_USER and reused. PKCS#11
// login is per application and token: the first session logs in, the others
// share it. A session is used by one operation at a time (an operation is
// Init + Encrypt/Decrypt on the same session).
import pkcs11js from "pkcs11js";
import { isLostConnection, pkcs11Code } from "./errors";
import type { Handle, Pkcs11 } from "./module";

/**
 * Idle sessions kept open; more may be open while calls are in flight. Above
 * the usual concurrency (32 in the benchmark): a session closed and opened
 * again per call costs more than the call.
 */
const MAX_IDLE = 64;

export class SessionPool {
  private idle: Handle[] = [];
  /** Every session this pool opened and has not closed (idle or in use). */
  private readonly open = new Set<Handle>();
  private closed = false;
  /** Key object handles by label; valid for every session of this login. */
  readonly keyHandles = new Map<string, Handle>();

  constructor(
    private readonly module: Pkcs11,
    readonly slot: Handle,
    private readonly pin: string,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Opens the first session and logs in: throws the PKCS#11 error (wrong PIN, …). */
  login(): void {
    this.release(this.acquire());
  }

  acquire(): Handle {
    if (this.closed) throw new Error("the session pool is closed");
    const session = this.idle.pop();
    if (session) return session;
    const opened = this.module.C_OpenSession(this.slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
    this.open.add(opened);
    try {
      this.module.C_Login(opened, pkcs11js.CKU_USER, this.pin);
    } catch (e) {
      if (pkcs11Code(e) !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
        this.discard(opened);
        throw e;
      }
    }
    return opened;
  }

  release(session: Handle): void {
    if (this.closed || this.idle.length >= MAX_IDLE) this.discard(session);
    else this.idle.push(session);
  }

  /** Runs `fn` on a session of the pool; a session the token lost is not reused. */
  async use<T>(fn: (session: Handle) => T | Promise<T>): Promise<T> {
    const session = this.acquire();
    let broken = false;
    try {
      return await fn(session);
    } catch (e) {
      broken = isLostConnection(e);
      throw e;
    } finally {
      if (broken) this.discard(session);
      else this.release(session);
    }
  }

  private discard(session: Handle): void {
    this.open.delete(session);
    try {
      this.module.C_CloseSession(session);
    } catch {
      // already gone with the token
    }
  }

  /**
   * Closes this pool's sessions one by one (the last one closed logs out).
   * Not C_CloseAllSessions: the root key store may hold sessions in the same library.
   * Sessions still in use are closed when they are released.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const idle = this.idle;
    this.idle = [];
    this.keyHandles.clear();
    for (const session of idle) this.discard(session);
  }
}
