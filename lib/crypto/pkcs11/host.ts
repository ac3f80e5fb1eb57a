// The server's side of a PKCS#11 worker process (worker.mjs): requests go out as IPC messages (those
// of one event-loop turn together), each bounded by a timer here, so a token that stops answering
// inside any PKCS#11 call (C_Login, C_FindObjects, C_EncryptInit, C_Encrypt, …) fails only the calls
// that need it while the event loop keeps serving everything else.
//
// A process, not a worker thread: a thread blocked inside a C call can be neither stopped nor
// joined, so it piles up and keeps Node from exiting (measured: process.exit() hangs). A worker that
// misses a deadline is killed: its pending calls fail, the next call starts a fresh one, and
// `generation` changes so callers log in again.
import { fork, type ChildProcess } from "node:child_process";
import { Pkcs11Timeout, reviveWorkerError, type WorkerError } from "./errors";
import { workerScript } from "./worker-script";

interface Pending {
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Live {
  child: ChildProcess;
  pending: Map<number, Pending>;
  /** Requests of this turn of the event loop, sent as one message (one write, one wake-up of the worker). */
  outbox: Request[];
}

type Request = { id: number; op: string; args: Record<string, unknown> };

type Reply = { id: number; result?: unknown; error?: WorkerError };

const g = globalThis as unknown as { keyholdPkcs11Workers?: Set<ChildProcess> };
/** Every worker of this process, killed when it exits (a worker blocked in the HSM would linger). */
function track(child: ChildProcess): void {
  if (!g.keyholdPkcs11Workers) {
    const all = (g.keyholdPkcs11Workers = new Set());
    process.once("exit", () => all.forEach((c) => c.kill("SIGKILL")));
  }
  g.keyholdPkcs11Workers.add(child);
  child.once("exit", () => g.keyholdPkcs11Workers?.delete(child));
}

export class Pkcs11Host {
  #live: Live | undefined;
  #generation = 0;
  #nextId = 1;

  constructor(readonly modulePath: string) {}

  /** Changes whenever the worker is replaced: pools opened under an older generation are gone. */
  get generation(): number {
    return this.#generation;
  }

  /** Runs `op` in the worker; rejects with Pkcs11Timeout when it has not answered within `timeoutMs`. */
  call<T>(op: string, args: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const live = this.#ensureLive();
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.#abandon(live, new Pkcs11Timeout(timeoutMs)), timeoutMs);
      live.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      if (live.outbox.push({ id, op, args }) === 1) setImmediate(() => this.#flush(live));
    });
  }

  #flush(live: Live): void {
    const batch = live.outbox.splice(0);
    if (batch.length && this.#live === live) live.child.send(batch, (e) => e && this.#abandon(live, e));
  }

  #ensureLive(): Live {
    if (this.#live) return this.#live;
    const child = fork(workerScript(), [this.modulePath], {
      serialization: "advanced", // Buffers cross as bytes
      execArgv: [], // plain JavaScript: none of the server's loaders
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    track(child);
    const live: Live = { child, pending: new Map(), outbox: [] };
    child.on("message", (replies: Reply[]) => {
      for (const reply of replies) {
        const call = live.pending.get(reply.id);
        if (!call) continue;
        live.pending.delete(reply.id);
        clearTimeout(call.timer);
        if (reply.error) call.reject(reviveWorkerError(reply.error));
        else call.resolve(reply.result);
      }
      if (live.pending.size === 0) idle(child);
    });
    child.on("error", (e) => this.#abandon(live, e));
    child.on("exit", (code, signal) => this.#abandon(live, new Error(`the PKCS#11 worker exited (${signal ?? code})`)));
    this.#live = live;
    return live;
  }

  /** The worker failed or missed a deadline: every call waiting on it fails now, later calls get a fresh one. */
  #abandon(live: Live, why: Error): void {
    if (this.#live === live) {
      this.#live = undefined;
      this.#generation++;
    }
    for (const call of live.pending.values()) {
      clearTimeout(call.timer);
      call.reject(why);
    }
    live.pending.clear();
    live.outbox.length = 0;
    if (live.child.exitCode === null && live.child.signalCode === null) live.child.kill("SIGKILL");
  }
}

/** An idle worker never keeps the server (or a CLI run) alive; a pending call's timer does. */
function idle(child: ChildProcess): void {
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
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
