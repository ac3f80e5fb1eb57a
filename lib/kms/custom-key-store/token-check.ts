// Is the named token there and usable? For CreateCustomKeyStore,
// UpdateCustomKeyStore and ConnectCustomKeyStore, with AWS's exceptions.
import { X509Certificate } from "node:crypto";
import {
  CloudHsmClusterInvalidConfigurationException,
  CloudHsmClusterNotActiveException,
  CloudHsmClusterNotFoundException,
  IncorrectTrustAnchorException,
} from "@/lib/errors/custom-key-store";
import { isKmsError } from "@/lib/errors";
import { describeHsmError, hsmSettings, tokenState } from "@/lib/hsm";
import { logger } from "@/lib/log";
import { messages } from "@/lib/errors/messages";

export async function assertTokenReady(label: string): Promise<void> {
  let state: Awaited<ReturnType<typeof tokenState>>;
  try {
    state = await tokenState(label);
  } catch (e) {
    if (isKmsError(e)) throw e; // the HSM did not answer in time
    logger.error({ err: describeHsmError(e), module: hsmSettings().modulePath }, "the PKCS#11 library cannot be used");
    throw new CloudHsmClusterInvalidConfigurationException(
      messages.pkcs11LibraryUnusable(hsmSettings().modulePath),
    );
  }
  if (state === "absent") {
    throw new CloudHsmClusterNotFoundException(messages.tokenNotFound(label, hsmSettings().modulePath));
  }
  if (state === "uninitialized") {
    throw new CloudHsmClusterNotActiveException(messages.tokenNotInitialised(label));
  }
}

/** The trust anchor must be a PEM (or DER-in-base64) X.509 certificate; it is kept for the record. */
export function checkTrustAnchor(text: string): void {
  try {
    new X509Certificate(text);
  } catch {
    throw new IncorrectTrustAnchorException(messages.trustAnchorInvalid);
  }
}
