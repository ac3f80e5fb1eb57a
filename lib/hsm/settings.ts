// Where the PKCS#11 library is and how long an HSM call may take. Read from the
// environment once; a bad value is refused with the variable's name.
import { existsSync } from "node:fs";
import { hsmTimeoutMs } from "@/lib/crypto/pkcs11/settings";

export const DEFAULT_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export interface HsmSettings {
  /** Path of the PKCS#11 library (SoftHSM2, Thales Luna, CloudHSM client, YubiHSM 2, nShield, …). */
  modulePath: string;
  /** Longest wait for one HSM call before DependencyTimeoutException. */
  timeoutMs: number;
}

export function hsmSettings(env: NodeJS.ProcessEnv = process.env): HsmSettings {
  const modulePath = env.KEYHOLD_PKCS11_MODULE?.trim() || DEFAULT_PKCS11_MODULE;
  return { modulePath, timeoutMs: hsmTimeoutMs(env) };
}

export function moduleExists(path: string): boolean {
  return existsSync(path);
}
