// How long one PKCS#11 call may take (KEYHOLD_HSM_TIMEOUT_MS), for custom key stores and the
// pkcs11 root key store alike. A bad value is refused with the variable's name.
export const DEFAULT_HSM_TIMEOUT_MS = 5000;

export function hsmTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KEYHOLD_HSM_TIMEOUT_MS?.trim();
  const timeoutMs = raw ? Number(raw) : DEFAULT_HSM_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    throw new Error("KEYHOLD_HSM_TIMEOUT_MS must be a whole number of milliseconds between 100 and 120000");
  }
  return timeoutMs;
}
