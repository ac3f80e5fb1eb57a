import type { ActionResult } from "@/lib/console/result";

export type { KeyStoreSummary } from "@/lib/console/key-stores";

type Action<I> = (input: I) => Promise<ActionResult<Record<string, unknown>>>;

export interface KeyStoreActions {
  create: Action<{ CustomKeyStoreName: string; CloudHsmClusterId: string; KeyStorePassword: string; TrustAnchorCertificate: string }>;
  connect: Action<string>;
  disconnect: Action<string>;
  remove: Action<string>;
}

export const STATE_TONES = {
  CONNECTED: "green",
  CONNECTING: "amber",
  DISCONNECTING: "amber",
  DISCONNECTED: "slate",
  FAILED: "red",
} as const;

/** What a ConnectionErrorCode means for a PKCS#11 token. */
export const CONNECTION_ERROR_HELP: Record<string, string> = {
  INVALID_CREDENTIALS: "The token refused the PIN. Disconnect, update the password, and connect again.",
  CLUSTER_NOT_FOUND: "No token with this label is present in the PKCS#11 library.",
  USER_LOCKED_OUT: "The token locked its user PIN after too many wrong attempts.",
  USER_NOT_FOUND: "The token has no user PIN set.",
  NETWORK_ERRORS: "The HSM could not be reached.",
  INTERNAL_ERROR: "The HSM answered with an unexpected error; see the server log.",
};
