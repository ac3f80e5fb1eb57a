// The PKCS#11 library of custom key stores (KEYHOLD_PKCS11_MODULE), reached only through a worker
// process per token (lib/crypto/pkcs11/host.ts), shared with the root key store.
import { pkcs11Host, type Pkcs11Host } from "@/lib/crypto/pkcs11/host";
import { hsmSettings, moduleExists } from "./settings";

/** The worker that serves the token labelled `label`. */
export function tokenHost(label: string): Pkcs11Host {
  const { modulePath } = hsmSettings();
  if (!moduleExists(modulePath)) throw new Error(`The PKCS#11 library ${modulePath} does not exist (KEYHOLD_PKCS11_MODULE)`);
  return pkcs11Host(modulePath, label);
}
