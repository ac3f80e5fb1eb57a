// What a BYOK user does with openssl, as AWS's developer guide shows it:
// generate an asymmetric private key (PKCS#8 DER) and wrap it for
// ImportKeyMaterial with RSA_AES_KEY_WRAP_SHA_* (an ephemeral AES key wrapped
// with RSA-OAEP, then AES key wrap with padding of the material under it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const OPENSSL_CURVES: Record<string, string> = {
  ECC_NIST_P256: "P-256",
  ECC_NIST_P384: "P-384",
  ECC_NIST_P521: "P-521",
  ECC_SECG_P256K1: "secp256k1",
};

function inTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "kh-openssl-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });

/**
 * `openssl genpkey` of an RSA_* or ECC_* key spec, then `openssl pkcs8 -topk8`
 * to PKCS#8 DER (genpkey's DER output is the traditional RSAPrivateKey /
 * ECPrivateKey form, which AWS does not take).
 */
export function opensslPrivateKey(spec: string): Buffer {
  return inTemp((dir) => {
    const pem = join(dir, "key.pem");
    const out = join(dir, "key.der");
    const opt = spec.startsWith("RSA_") ? ["-algorithm", "RSA", "-pkeyopt", `rsa_keygen_bits:${spec.slice(4)}`] : ["-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${OPENSSL_CURVES[spec]}`];
    openssl(["genpkey", ...opt, "-out", pem]);
    openssl(["pkcs8", "-topk8", "-nocrypt", "-in", pem, "-outform", "DER", "-out", out]);
    return readFileSync(out);
  });
}

/** RSA_AES_KEY_WRAP_SHA_1 / _SHA_256 with openssl pkeyutl and openssl enc -id-aes256-wrap-pad. */
export function opensslRsaAesWrap(publicKeyDer: Uint8Array, algorithm: "RSA_AES_KEY_WRAP_SHA_1" | "RSA_AES_KEY_WRAP_SHA_256", material: Uint8Array): Buffer {
  const md = algorithm.endsWith("SHA_1") ? "sha1" : "sha256";
  return inTemp((dir) => {
    const f = (n: string) => join(dir, n);
    writeFileSync(f("wrapping-key.der"), publicKeyDer);
    writeFileSync(f("material.der"), material);
    openssl(["rand", "-out", f("aes.bin"), "32"]);
    openssl(["pkeyutl", "-encrypt", "-in", f("aes.bin"), "-out", f("aes-wrapped.bin"), "-inkey", f("wrapping-key.der"), "-keyform", "DER", "-pubin",
      "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", `rsa_oaep_md:${md}`, "-pkeyopt", `rsa_mgf1_md:${md}`]);
    const aesHex = readFileSync(f("aes.bin")).toString("hex");
    openssl(["enc", "-id-aes256-wrap-pad", "-K", aesHex, "-iv", "A65959A6", "-in", f("material.der"), "-out", f("material-wrapped.bin")]);
    return Buffer.concat([readFileSync(f("aes-wrapped.bin")), readFileSync(f("material-wrapped.bin"))]);
  });
}
