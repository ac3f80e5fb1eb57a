// Every wait on an HSM is bounded, as every wait on the database is: a token
// that stops answering makes the call fail with AWS's retryable
// DependencyTimeoutException instead of hanging the caller.
import { DependencyTimeoutException } from "@/lib/errors";
import { hsmSettings } from "./settings";

export const HSM_TIMEOUT_MESSAGE =
  "The system timed out while trying to fulfill the request: the HSM of the custom key store did not answer in time. You can retry the request.";

export class HsmTimeout extends DependencyTimeoutException {
  constructor() {
    super(HSM_TIMEOUT_MESSAGE);
  }
}

/** Resolves as `work` does, or rejects with HsmTimeout after the configured limit. */
export async function withHsmTimeout<T>(work: Promise<T>, timeoutMs = hsmSettings().timeoutMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HsmTimeout()), timeoutMs);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
