// The main thread's side of a PKCS#11 worker (worker.mjs): requests go out as messages, each bounded
// by a timer here, so a token that stops answering inside any PKCS#11 call (C_Login, C_FindObjects,
// C_EncryptInit, …) fails the calls that need it while the event loop keeps serving everything else.
//
// A worker that misses a deadline is abandoned: its pending calls fail, and the next call starts a
// fresh worker (its pools are gone: `generation` changes, so callers log in again). The abandoned
// thread stays blocked inside the library until the HSM answers; then it closes its sessions and
// exits. At most MAX_STUCK such threads are kept: beyond that a call waits (within its own deadline)
// for one of them to come back, instead of stacking up one blocked thread per timeout.
import { Worker } from "node:worker_threads";
import pkcs11js from "pkcs11js";
import { Pkcs11Timeout, reviveWorkerError, type WorkerError } from "./errors";
import { workerScript } from "./worker-script";

const MAX_STUCK = 2;
/** How long a recovered worker may take to close its sessions before it is terminated anyway. */
const RETIRE_MS = 5_000;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Live {
  worker: Worker;
  pending: Map<number, Pending>;
}

type Reply = { id: number; result?: unknown; error?: WorkerError };

const g = globalThis as unknown as { keyholdPkcs11Pins?: Map<string, pkcs11js.PKCS11> };

/**
 * Keeps the module loaded (dlopen, without C_Initialize or any other call) for the life of the
 * process: a worker that exits unloads its handle, and unloading an HSM client library under its
 * own threads, or losing the process's login state, must never happen.
 */
function pinLibrary(modulePath: string): void {
  const pins = (g.keyholdPkcs11Pins ??= new Map());
  if (pins.has(modulePath)) return;
  const pin = new pkcs11js.PKCS11();
  try {
    pin.load(modulePath);
    pins.set(modulePath, pin);
  } catch {
    // The worker reports a module that cannot be loaded, with the reason, on the first call.
  }
}

export class Pkcs11Host {
  #live: Live | undefined;
  #generation = 0;
  #nextId = 1;
  readonly #stuck = new Set<Worker>();
  #recovered: Array<() => void> = [];

  constructor(readonly modulePath: string) {}

  /** Changes whenever the worker is replaced: pools opened under an older generation are gone. */
  get generation(): number {
    return this.#generation;
  }

  /** Runs `op` in the worker; rejects with Pkcs11Timeout when it has not answered within `timeoutMs`. */
  async call<T>(op: string, args: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    if (this.#stuck.size >= MAX_STUCK && !this.#live) await this.#untilRecovered(deadline, timeoutMs);
    const live = this.#ensureLive();
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.#abandon(live, timeoutMs), Math.max(0, deadline - Date.now()));
      live.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      live.worker.postMessage({ id, op, args });
    });
  }

  #ensureLive(): Live {
    if (this.#live) return this.#live;
    pinLibrary(this.modulePath);
    const worker = new Worker(workerScript(), { workerData: { modulePath: this.modulePath } });
    const live: Live = { worker, pending: new Map() };
    worker.on("message", (reply: Reply) => {
      const call = live.pending.get(reply.id);
      if (!call) return;
      live.pending.delete(reply.id);
      clearTimeout(call.timer);
      if (reply.error) call.reject(reviveWorkerError(reply.error));
      else call.resolve(reply.result);
    });
    const gone = (why: Error) => {
      if (this.#live === live) this.#drop();
      this.#failAll(live, why);
    };
    worker.on("error", gone);
    worker.on("exit", (code) => gone(new Error(`the PKCS#11 worker exited (${code})`)));
    // After the listeners (a 'message' listener refs the port again): an idle or hung HSM worker
    // never keeps the process alive; pending calls do, through their timers.
    worker.unref();
    this.#live = live;
    return live;
  }

  #drop(): void {
    this.#live = undefined;
    this.#generation++;
  }

  #failAll(live: Live, why: Error): void {
    for (const call of live.pending.values()) {
      clearTimeout(call.timer);
      call.reject(why);
    }
    live.pending.clear();
  }

  /** The worker missed a deadline: every call waiting on it fails now, later calls get a fresh worker. */
  #abandon(live: Live, timeoutMs: number): void {
    if (this.#live !== live) return;
    this.#drop();
    this.#failAll(live, new Pkcs11Timeout(timeoutMs));
    const { worker } = live;
    worker.removeAllListeners("message");
    this.#stuck.add(worker);
    const retire = () => {
      if (!this.#stuck.delete(worker)) return;
      void worker.terminate();
      for (const wake of this.#recovered.splice(0)) wake();
    };
    // Its first answer means the blocked call returned: close its sessions, then let it go.
    worker.once("message", () => {
      worker.on("message", (reply: Reply) => reply.id === 0 && retire());
      worker.postMessage({ id: 0, op: "closeAll", args: {} });
      worker.unref();
      setTimeout(retire, RETIRE_MS).unref();
    });
    worker.once("exit", retire);
    worker.unref();
  }

  #untilRecovered(deadline: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#recovered = this.#recovered.filter((w) => w !== wake);
        reject(new Pkcs11Timeout(timeoutMs));
      }, Math.max(0, deadline - Date.now()));
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#recovered.push(wake);
    });
  }
}

const hosts = globalThis as unknown as { keyholdPkcs11Hosts?: Map<string, Pkcs11Host> };

/**
 * The process's worker for one token of one module (custom key stores and the root key store on the
 * same token share it): a token that hangs stalls only its own calls, not other tokens' (a network
 * HSM's partitions may sit on different appliances behind one client library).
 */
export function pkcs11Host(modulePath: string, tokenLabel: string): Pkcs11Host {
  const all = (hosts.keyholdPkcs11Hosts ??= new Map());
  const key = `${modulePath}\n${tokenLabel}`;
  let host = all.get(key);
  if (!host) all.set(key, (host = new Pkcs11Host(modulePath)));
  return host;
}
