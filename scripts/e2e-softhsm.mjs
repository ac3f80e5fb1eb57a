// A SoftHSM2 token for the e2e server (the Key stores page), in a folder next
// to the data folder, made fresh each run. Nothing when SoftHSM2 is missing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const E2E_HSM = { label: "e2e-hsm", pin: "e2e-hsm-user-pin" };
const MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export function e2eSoftHsm(dir) {
  if (!existsSync(MODULE) || spawnSync("softhsm2-util", ["--version"]).status !== 0) return {};
  const root = resolve(dir);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "tokens"), { recursive: true });
  const conf = join(root, "softhsm2.conf");
  writeFileSync(conf, `directories.tokendir = ${join(root, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { SOFTHSM2_CONF: conf, KEYHOLD_PKCS11_MODULE: MODULE };
  const args = ["--init-token", "--free", "--label", E2E_HSM.label, "--so-pin", "e2e-so-pin", "--pin", E2E_HSM.pin];
  const r = spawnSync("softhsm2-util", args, { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`softhsm2-util: ${r.stderr}`);
  return env;
}
