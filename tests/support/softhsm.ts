// A SoftHSM2 of the test's own: a temporary SOFTHSM2_CONF and token folder,
// tokens initialised with softhsm2-util, removed again at the end. Pass
// `env` to a server under test (and to pkcs11-tool) so it sees these tokens.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export interface SoftHsm {
  dir: string;
  /** SOFTHSM2_CONF (and KEYHOLD_PKCS11_MODULE) for a process that should use these tokens. */
  env: Record<string, string>;
  /** Initialises a token in a free slot. */
  initToken(label: string, pin: string, soPin?: string): void;
  /** Runs pkcs11-tool on these tokens. */
  pkcs11Tool(args: string[]): { status: number | null; stdout: string; stderr: string };
  cleanup(): void;
}

export function softHsmAvailable(): boolean {
  return existsSync(SOFTHSM_MODULE) && spawnSync("softhsm2-util", ["--version"]).status === 0;
}

export function createSoftHsm(): SoftHsm {
  const dir = mkdtempSync(join(tmpdir(), "keyhold-softhsm-"));
  const tokens = join(dir, "tokens");
  mkdirSync(tokens, { mode: 0o700 });
  const conf = join(dir, "softhsm2.conf");
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { SOFTHSM2_CONF: conf, KEYHOLD_PKCS11_MODULE: SOFTHSM_MODULE };
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    dir,
    env,
    initToken(label, pin, soPin = "so-pin-0000") {
      const r = run("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", soPin, "--pin", pin]);
      if (r.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${r.stderr || r.stdout}`);
    },
    pkcs11Tool: (args) => run("pkcs11-tool", ["--module", SOFTHSM_MODULE, ...args]),
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throw-away self-signed certificate for CreateCustomKeyStore's TrustAnchorCertificate. */
export function selfSignedTrustAnchor(commonName = "keyhold-test-hsm"): string {
  return spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", `/CN=${commonName}`, "-days", "1", "-keyout", "/dev/null", "-out", "-"],
    { encoding: "utf8" },
  ).stdout;
}

/**
 * Closes every session Keyhold's PKCS#11 worker for this token has open, as an HSM restart does
 * (PKCS#11 state is per process, so it has to happen in that worker process).
 */
export async function closeAllTokenSessions(label: string, module = SOFTHSM_MODULE): Promise<void> {
  const { pkcs11Host } = await import("@/lib/crypto/pkcs11/host");
  await pkcs11Host(module, label).call("closeAllSessions", { token: label }, 5000);
}
