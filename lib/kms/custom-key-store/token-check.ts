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

export async function assertTokenReady(label: string): Promise<void> {
  let state: Awaited<ReturnType<typeof tokenState>>;
  try {
    state = await tokenState(label);
  } catch (e) {
    if (isKmsError(e)) throw e; // the HSM did not answer in time
    logger.error({ err: describeHsmError(e), module: hsmSettings().modulePath }, "the PKCS#11 library cannot be used");
    throw new CloudHsmClusterInvalidConfigurationException(
      `The PKCS#11 library ${hsmSettings().modulePath} (KEYHOLD_PKCS11_MODULE) cannot be loaded or initialised.`,
    );
  }
  if (state === "absent") {
    throw new CloudHsmClusterNotFoundException(`No token labelled '${label}' is present in the PKCS#11 library ${hsmSettings().modulePath}.`);
  }
  if (state === "uninitialized") {
    throw new CloudHsmClusterNotActiveException(`The token '${label}' is not initialised or has no user PIN.`);
  }
}

/** The trust anchor must be a PEM (or DER-in-base64) X.509 certificate; it is kept for the record. */
export function checkTrustAnchor(text: string): void {
  try {
    new X509Certificate(text);
  } catch {
    throw new IncorrectTrustAnchorException("The TrustAnchorCertificate is not a valid PEM-encoded X.509 certificate.");
  }
}
