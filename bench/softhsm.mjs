// The benchmark's HSM: a SoftHSM2 token of its own (temporary SOFTHSM2_CONF),
// and an HSM-backed KMS key in a custom key store on it. Skipped (undefined)
// where SoftHSM2 is not installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectCustomKeyStoreCommand, CreateCustomKeyStoreCommand, CreateKeyCommand } from "@aws-sdk/client-kms";

const MODULE = "/usr/lib/softhsm/libsofthsm2.so";
const PIN = "bench-hsm-pin-0001";

/** A token in `dir`; returns the environment the server needs, or undefined without SoftHSM2. */
export function benchSoftHsm(dir) {
  if (!existsSync(MODULE) || spawnSync("softhsm2-util", ["--version"]).status !== 0) return undefined;
  mkdirSync(join(dir, "tokens"), { recursive: true });
  const conf = join(dir, "softhsm2.conf");
  writeFileSync(conf, `directories.tokendir = ${join(dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { SOFTHSM2_CONF: conf, KEYHOLD_PKCS11_MODULE: MODULE };
  const r = spawnSync("softhsm2-util", ["--init-token", "--free", "--label", "bench", "--so-pin", "bench-so-pin", "--pin", PIN], { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`softhsm2-util: ${r.stderr}`);
  return env;
}

/** A connected custom key store on the token and a key in it; the key ID. */
export async function benchHsmKey(kms) {
  const anchor = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=bench-hsm", "-days", "1", "-keyout", "/dev/null", "-out", "-"],
    { encoding: "utf8" },
  ).stdout;
  const { CustomKeyStoreId } = await kms.send(
    new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "bench", CloudHsmClusterId: "bench", KeyStorePassword: PIN, TrustAnchorCertificate: anchor }),
  );
  await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId }));
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ CustomKeyStoreId, Origin: "AWS_CLOUDHSM", Description: "benchmark (HSM)" }));
  return KeyMetadata.KeyId;
}
