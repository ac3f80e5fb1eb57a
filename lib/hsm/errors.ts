// PKCS#11 return values, sorted into what Keyhold does about them. pkcs11js
// throws Pkcs11Error with the CKR_* name as message and the number as code.
import pkcs11js from "pkcs11js";
import { isPkcs11Timeout, tokenProblemReason } from "@/lib/crypto/pkcs11/errors";
import { HsmTimeout } from "./timeout";

/** AWS's ConnectionErrorCode values a PKCS#11 token can produce. */
export type HsmConnectionError =
  | "INVALID_CREDENTIALS"
  | "CLUSTER_NOT_FOUND"
  | "NETWORK_ERRORS"
  | "INTERNAL_ERROR"
  | "USER_LOCKED_OUT"
  | "USER_NOT_FOUND";

const CONNECTION_ERRORS = new Set<string>(["INVALID_CREDENTIALS", "CLUSTER_NOT_FOUND", "NETWORK_ERRORS", "INTERNAL_ERROR", "USER_LOCKED_OUT", "USER_NOT_FOUND"]);

/** The ConnectionErrorCode of a failure the worker noticed itself (no such token, no user PIN, no such key object). */
function problemCode(e: unknown): HsmConnectionError | undefined {
  const reason = tokenProblemReason(e);
  if (reason === undefined) return undefined;
  return CONNECTION_ERRORS.has(reason) ? (reason as HsmConnectionError) : "INTERNAL_ERROR";
}

export function pkcs11Code(e: unknown): number | undefined {
  return e instanceof pkcs11js.Pkcs11Error ? e.code : undefined;
}

const CREDENTIALS = new Set([pkcs11js.CKR_PIN_INCORRECT, pkcs11js.CKR_PIN_INVALID, pkcs11js.CKR_PIN_LEN_RANGE]);
/** The token, the session or the library went away: drop the sessions and reconnect. */
const LOST = new Set([
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_DEVICE_ERROR,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_CRYPTOKI_NOT_INITIALIZED,
  pkcs11js.CKR_SLOT_ID_INVALID,
  pkcs11js.CKR_USER_NOT_LOGGED_IN,
  pkcs11js.CKR_OBJECT_HANDLE_INVALID,
  pkcs11js.CKR_KEY_HANDLE_INVALID,
]);
/**
 * A GCM tag that does not verify. SoftHSM2 answers CKR_GENERAL_ERROR for it;
 * other modules CKR_ENCRYPTED_DATA_INVALID or CKR_ENCRYPTED_DATA_LEN_RANGE.
 */
const BAD_CIPHERTEXT = new Set([
  pkcs11js.CKR_ENCRYPTED_DATA_INVALID,
  pkcs11js.CKR_ENCRYPTED_DATA_LEN_RANGE,
  pkcs11js.CKR_GENERAL_ERROR,
]);

export const isLostConnection = (e: unknown) => LOST.has(pkcs11Code(e) ?? -1);
export const isBadCiphertext = (e: unknown) => BAD_CIPHERTEXT.has(pkcs11Code(e) ?? -1);

/** The ConnectionErrorCode for a failed connect (login) attempt. */
export function connectionErrorOf(e: unknown): HsmConnectionError {
  const problem = problemCode(e);
  if (problem) return problem;
  // The token did not answer in time (as AWS: network errors keep KMS from the cluster).
  if (e instanceof HsmTimeout || isPkcs11Timeout(e)) return "NETWORK_ERRORS";
  const code = pkcs11Code(e);
  if (code === undefined) return "INTERNAL_ERROR";
  if (CREDENTIALS.has(code)) return "INVALID_CREDENTIALS";
  if (code === pkcs11js.CKR_PIN_LOCKED) return "USER_LOCKED_OUT";
  if (code === pkcs11js.CKR_USER_PIN_NOT_INITIALIZED) return "USER_NOT_FOUND";
  if (LOST.has(code)) return "NETWORK_ERRORS";
  return "INTERNAL_ERROR";
}

/** A short, secret-free description for logs (the CKR_* name). */
export function describeHsmError(e: unknown): string {
  const problem = problemCode(e);
  if (problem) return problem;
  if (e instanceof HsmTimeout || isPkcs11Timeout(e)) return "timeout";
  if (e instanceof pkcs11js.Pkcs11Error) return e.message.split(/\s/)[0] ?? "CKR_?";
  return e instanceof Error ? e.name : "unknown";
}
