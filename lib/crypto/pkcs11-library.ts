// One loaded, initialised PKCS#11 library per module path for the whole
// process: the root key store (lib/crypto/keystore/pkcs11) and custom key
// stores (lib/hsm) may use the same HSM library, and a second C_Initialize,
// or a C_Finalize/unload by one user, would break the other. CKF_OS_LOCKING_OK:
// pkcs11js runs its *Async calls on libuv worker threads, so the library must
// lock for itself. Never finalised while the process runs. (SoftHSM2 reads its
// token folder at C_Initialize: a token created after start-up needs a restart.)
// The default import: pkcs11js sets its constants dynamically, so Node's ESM
// named-export detection misses them.
import pkcs11js from "pkcs11js";

const g = globalThis as unknown as { keyholdPkcs11Libraries?: Map<string, pkcs11js.PKCS11> };

export function loadPkcs11Library(modulePath: string): pkcs11js.PKCS11 {
  const loaded = (g.keyholdPkcs11Libraries ??= new Map());
  const existing = loaded.get(modulePath);
  if (existing) return existing;
  const library = new pkcs11js.PKCS11();
  library.load(modulePath);
  try {
    library.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test(String((e as Error).message))) {
      library.close();
      throw e;
    }
  }
  loaded.set(modulePath, library);
  return library;
}
