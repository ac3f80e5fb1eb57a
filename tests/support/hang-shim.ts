// Fault injection for PKCS#11: pkcs11-hang-shim.c, compiled with gcc into a temporary folder, wraps
// SoftHSM2 and makes chosen functions block while a control file of their name exists, as an HSM
// that stops answering does. Point KEYHOLD_PKCS11_MODULE at `module` and pass `env` to the server.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SOFTHSM_MODULE } from "./softhsm";

export type HangingFunction =
  | "C_GetSlotList"
  | "C_OpenSession"
  | "C_Login"
  | "C_FindObjectsInit"
  | "C_EncryptInit"
  | "C_Encrypt"
  | "C_DecryptInit"
  | "C_Decrypt"
  | "C_GenerateRandom";

export interface HangShim {
  /** The shim library: use it as KEYHOLD_PKCS11_MODULE. */
  module: string;
  /** HANG_SHIM_CONTROL_DIR (and KEYHOLD_PKCS11_MODULE) for the process under test. */
  env: Record<string, string>;
  /** From now on, calls of `fn` block inside the library. */
  hang(fn: HangingFunction): void;
  /** Lets the blocked calls of `fn` (and later ones) through. */
  release(fn: HangingFunction): void;
  isHanging(fn: HangingFunction): boolean;
  cleanup(): void;
}

const SOURCE = fileURLToPath(new URL("./pkcs11-hang-shim.c", import.meta.url));
const HEADERS = join(process.cwd(), "node_modules", "pkcs11js", "includes");

/** Why the shim cannot be built here (the test is skipped with it), or undefined. */
export function hangShimUnavailable(): string | undefined {
  if (!existsSync(SOFTHSM_MODULE)) return `SoftHSM2 is not installed (${SOFTHSM_MODULE})`;
  if (spawnSync("gcc", ["--version"]).status !== 0) return "gcc is not installed (apt-get install gcc libc6-dev)";
  if (!existsSync(join(HEADERS, "pkcs11", "pkcs11.h"))) return `the PKCS#11 headers are missing (${HEADERS})`;
  return undefined;
}

export function buildHangShim(): HangShim {
  const dir = mkdtempSync(join(tmpdir(), "keyhold-hang-shim-"));
  const library = join(dir, "libpkcs11-hang-shim.so");
  const built = spawnSync("gcc", ["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-I", HEADERS, "-o", library, SOURCE, "-ldl"], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`gcc could not build the PKCS#11 hang shim:\n${built.stderr}`);
  const controlDir = join(dir, "control");
  mkdirSync(controlDir);
  const file = (fn: HangingFunction) => join(controlDir, fn);
  return {
    module: library,
    env: { KEYHOLD_PKCS11_MODULE: library, HANG_SHIM_CONTROL_DIR: controlDir, HANG_SHIM_TARGET: SOFTHSM_MODULE },
    hang: (fn) => writeFileSync(file(fn), ""),
    release: (fn) => rmSync(file(fn), { force: true }),
    isHanging: (fn) => existsSync(file(fn)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
