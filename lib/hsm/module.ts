// The PKCS#11 library of custom key stores (KEYHOLD_PKCS11_MODULE), shared
// with the root key store through lib/crypto/pkcs11-library.ts.
import type pkcs11js from "pkcs11js";
import { loadPkcs11Library } from "@/lib/crypto/pkcs11-library";
import { logger } from "@/lib/log";
import { hsmSettings, moduleExists } from "./settings";

export type Pkcs11 = pkcs11js.PKCS11;
export type Handle = pkcs11js.Handle;

interface Loaded {
  path: string;
  module: Pkcs11;
}

const g = globalThis as unknown as { keyholdPkcs11?: Loaded };

/** The loaded, initialised library (KEYHOLD_PKCS11_MODULE). */
export function pkcs11(): Loaded {
  if (g.keyholdPkcs11) return g.keyholdPkcs11;
  const { modulePath } = hsmSettings();
  if (!moduleExists(modulePath)) throw new Error(`The PKCS#11 library ${modulePath} does not exist (KEYHOLD_PKCS11_MODULE)`);
  const library = loadPkcs11Library(modulePath);
  logger.info({ module: modulePath }, "PKCS#11 library loaded");
  return (g.keyholdPkcs11 = { path: modulePath, module: library });
}
