// Errors of the PKCS#11 worker, rebuilt in the server process. Recognised by name, not instanceof:
// the Next.js bundle and server.ts each have their own copy of this module, and the worker host
// is the process's one (made by whichever copy came first).
import pkcs11js from "pkcs11js";

/** The worker did not answer in time: the HSM hangs (or is very slow). */
export class Pkcs11Timeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the PKCS#11 library did not answer within ${timeoutMs} ms`);
    this.name = "Pkcs11Timeout";
  }
}

/**
 * A failure the worker noticed itself. `reason`: an AWS ConnectionErrorCode (CLUSTER_NOT_FOUND,
 * USER_NOT_FOUND, INTERNAL_ERROR), LIBRARY (the module cannot be loaded) or NOT_OPEN.
 */
export class TokenProblem extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "TokenProblem";
  }
}

export const isPkcs11Timeout = (e: unknown): e is Pkcs11Timeout => (e as Error | undefined)?.name === "Pkcs11Timeout";
export const tokenProblemReason = (e: unknown): string | undefined =>
  (e as Error | undefined)?.name === "TokenProblem" ? (e as TokenProblem).reason : undefined;

export type WorkerError = { kind: "pkcs11"; name: string; code: number } | { kind: "token"; reason: string; message: string } | { kind: "error"; message: string };

/** The error as the caller would have seen it had it called pkcs11js itself. */
export function reviveWorkerError(e: WorkerError): Error {
  if (e.kind === "pkcs11") return new pkcs11js.Pkcs11Error(`${e.name}:${e.code}`, e.code);
  if (e.kind === "token") return new TokenProblem(e.reason, e.message);
  return new Error(e.message);
}
