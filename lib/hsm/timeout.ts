// Every wait on an HSM is bounded, as every wait on the database is: a token
// that stops answering makes the call fail with AWS's retryable
// DependencyTimeoutException instead of hanging the caller. The bound is kept
// by the worker host (lib/crypto/pkcs11/host.ts) in the server process, so it
// holds inside synchronous PKCS#11 calls too (C_Login, C_FindObjects, C_EncryptInit).
import type { Pkcs11Host } from "@/lib/crypto/pkcs11/host";
import { isPkcs11Timeout } from "@/lib/crypto/pkcs11/errors";
import { DependencyTimeoutException } from "@/lib/errors";
import { hsmSettings } from "./settings";

export const HSM_TIMEOUT_MESSAGE =
  "The system timed out while trying to fulfill the request: the HSM of the custom key store did not answer in time. You can retry the request.";

export class HsmTimeout extends DependencyTimeoutException {
  constructor() {
    super(HSM_TIMEOUT_MESSAGE);
  }
}

export const isHsmTimeout = (e: unknown) => e instanceof HsmTimeout || isPkcs11Timeout(e);

/** One request to the token's worker, bounded by KEYHOLD_HSM_TIMEOUT_MS; a missed deadline is HsmTimeout. */
export async function hsmCall<T>(host: Pkcs11Host, op: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await host.call<T>(op, args, hsmSettings().timeoutMs);
  } catch (e) {
    if (isPkcs11Timeout(e)) throw new HsmTimeout();
    throw e;
  }
}
