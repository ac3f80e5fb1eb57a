// A SoftHSM2 token of the test's own: a temporary SOFTHSM2_CONF (conf file + token folder), one token
// initialised with softhsm2-util. Set SOFTHSM2_CONF before the PKCS#11 module is loaded: SoftHSM reads
// it at C_Initialize.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export interface SoftHsmToken {
  conf: string;
  dir: string;
  tokenLabel: string;
  pin: string;
  soPin: string;
  /** Environment for a child process (server, CLI, pkcs11-tool) using this token. */
  env: Record<string, string>;
  remove(): void;
}

export function softHsmAvailable(): boolean {
  return fs.existsSync(SOFTHSM_MODULE);
}

export function createSoftHsmToken(tokenLabel = `kh-root-${randomBytes(3).toString("hex")}`): SoftHsmToken {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyhold-softhsm-"));
  const tokens = path.join(dir, "tokens");
  fs.mkdirSync(tokens);
  const conf = path.join(dir, "softhsm2.conf");
  fs.writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const pin = randomBytes(6).toString("hex");
  const soPin = randomBytes(6).toString("hex");
  const env = { SOFTHSM2_CONF: conf };
  execFileSync("softhsm2-util", ["--init-token", "--free", "--label", tokenLabel, "--so-pin", soPin, "--pin", pin], {
    env: { ...process.env, ...env },
    stdio: "pipe",
  });
  return {
    conf,
    dir,
    tokenLabel,
    pin,
    soPin,
    env: { ...env, KEYHOLD_PKCS11_MODULE: SOFTHSM_MODULE, KEYHOLD_PKCS11_TOKEN_LABEL: tokenLabel, KEYHOLD_PKCS11_PIN: pin },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `pkcs11-tool --list-objects` of the token (OpenSC), logged in: what a person would run to look. */
export function listTokenObjects(token: SoftHsmToken): string {
  return execFileSync(
    "pkcs11-tool",
    ["--module", SOFTHSM_MODULE, "--token-label", token.tokenLabel, "--login", "--pin", token.pin, "--list-objects"],
    { env: { ...process.env, SOFTHSM2_CONF: token.conf }, encoding: "utf8", stdio: "pipe" },
  );
}
