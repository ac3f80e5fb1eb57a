// The PKCS#11 library, loaded once per process. C_Initialize with
// CKF_OS_LOCKING_OK: pkcs11js runs the *Async calls on libuv's worker threads,
// so the library must lock for itself. Never C_Finalize while serving: the
// root key store may use the same library in this process. (SoftHSM2 reads its
// token folder at C_Initialize: a token created after start-up needs a restart.)
import pkcs11js from "pkcs11js";
import { logger } from "@/lib/log";
import { pkcs11Code } from "./errors";
import { hsmSettings, moduleExists } from "./settings";

export type Pkcs11 = pkcs11js.PKCS11;
export type Handle = pkcs11js.Handle;

interface Loaded {
  path: string;
  module: Pkcs11;
}

const g = globalThis as unknown as { keyholdPkcs11?: Loaded };

function initialize(module: Pkcs11): void {
  try {
    module.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (pkcs11Code(e) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw e;
  }
}

/** The loaded, initialised library (KEYHOLD_PKCS11_MODULE). */
export function pkcs11(): Loaded {
  if (g.keyholdPkcs11) return g.keyholdPkcs11;
  const { modulePath } = hsmSettings();
  if (!moduleExists(modulePath)) throw new Error(`The PKCS#11 library ${modulePath} does not exist (KEYHOLD_PKCS11_MODULE)`);
  const library = new pkcs11js.PKCS11();
  library.load(modulePath);
  initialize(library);
  logger.info({ module: modulePath }, "PKCS#11 library loaded");
  return (g.keyholdPkcs11 = { path: modulePath, module: library });
}
