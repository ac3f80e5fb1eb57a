// The AWS CLI (Debian's awscli package, /usr/bin/aws) against a running Keyhold.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSecret } from "../secret-registry";
import { ADMIN_KEY, awsCliAvailable, REGION, startApiServer, type TestServer } from "./server";

const AWS = "/usr/bin/aws";
let server: TestServer;
let dir: string;

function aws(...args: string[]): Record<string, unknown> {
  const out = execFileSync(AWS, ["--endpoint-url", server.endpoint, "--region", REGION, "--output", "json", "kms", ...args], {
    env: {
      NODE_ENV: process.env.NODE_ENV,
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: ADMIN_KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ADMIN_KEY.secretAccessKey,
      AWS_CONFIG_FILE: join(dir, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
    },
    encoding: "utf8",
  });
  return out.trim() ? JSON.parse(out) : {};
}

function awsError(...args: string[]): string {
  try {
    aws(...args);
  } catch (e) {
    return String((e as { stderr?: string }).stderr);
  }
  throw new Error("expected the AWS CLI to fail");
}

beforeAll(async () => {
  if (!awsCliAvailable()) throw new Error(`${AWS} is missing: apt-get install -y awscli (.ci/run does)`);
  dir = mkdtempSync(join(tmpdir(), "keyhold-awscli-"));
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("AWS CLI", () => {
  it("create-key, create-alias, encrypt with context, decrypt, generate-data-key, list-keys", () => {
    const created = aws("create-key", "--description", "cli key") as { KeyMetadata: { KeyId: string; Arn: string } };
    const keyId = created.KeyMetadata.KeyId;
    expect(created.KeyMetadata.Arn).toContain(keyId);
    aws("create-alias", "--alias-name", "alias/cli-test", "--target-key-id", keyId);

    recordSecret(Buffer.from("attack at dawn"), "AWS CLI plaintext");
    writeFileSync(join(dir, "plain.txt"), "attack at dawn");
    const enc = aws("encrypt", "--key-id", "alias/cli-test", "--plaintext", `fileb://${join(dir, "plain.txt")}`, "--encryption-context", "purpose=test,team=red") as {
      CiphertextBlob: string;
      KeyId: string;
    };
    expect(enc.KeyId).toBe(created.KeyMetadata.Arn);
    writeFileSync(join(dir, "ct.bin"), Buffer.from(enc.CiphertextBlob, "base64"));
    const dec = aws("decrypt", "--ciphertext-blob", `fileb://${join(dir, "ct.bin")}`, "--encryption-context", "team=red,purpose=test") as { Plaintext: string };
    expect(Buffer.from(dec.Plaintext, "base64").toString()).toBe("attack at dawn");
    expect(awsError("decrypt", "--ciphertext-blob", `fileb://${join(dir, "ct.bin")}`, "--encryption-context", "team=blue")).toContain(
      "InvalidCiphertextException",
    );

    const dk = aws("generate-data-key", "--key-id", keyId, "--key-spec", "AES_256") as { Plaintext: string; CiphertextBlob: string };
    expect(Buffer.from(dk.Plaintext, "base64")).toHaveLength(32);
    recordSecret(Buffer.from(dk.Plaintext, "base64"), "AWS CLI data key");

    const keys = aws("list-keys") as { Keys: Array<{ KeyId: string }> };
    expect(keys.Keys.map((k) => k.KeyId)).toContain(keyId);
    expect(awsError("describe-key", "--key-id", "alias/nope")).toContain("NotFoundException");
  });

  it("sign and verify with an ECC key", () => {
    const key = aws("create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY") as { KeyMetadata: { KeyId: string } };
    writeFileSync(join(dir, "msg.txt"), "signed message");
    const sig = aws("sign", "--key-id", key.KeyMetadata.KeyId, "--message", `fileb://${join(dir, "msg.txt")}`, "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256") as {
      Signature: string;
    };
    writeFileSync(join(dir, "sig.bin"), Buffer.from(sig.Signature, "base64"));
    const ok = aws("verify", "--key-id", key.KeyMetadata.KeyId, "--message", `fileb://${join(dir, "msg.txt")}`, "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256", "--signature", `fileb://${join(dir, "sig.bin")}`) as {
      SignatureValid: boolean;
    };
    expect(ok.SignatureValid).toBe(true);
    writeFileSync(join(dir, "msg2.txt"), "another message");
    expect(
      awsError("verify", "--key-id", key.KeyMetadata.KeyId, "--message", `fileb://${join(dir, "msg2.txt")}`, "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256", "--signature", `fileb://${join(dir, "sig.bin")}`),
    ).toContain("KMSInvalidSignatureException");
    expect(readFileSync(join(dir, "sig.bin")).length).toBeGreaterThan(60);
  });

  it("schedule-key-deletion and cancel-key-deletion", () => {
    const key = aws("create-key") as { KeyMetadata: { KeyId: string } };
    const scheduled = aws("schedule-key-deletion", "--key-id", key.KeyMetadata.KeyId, "--pending-window-in-days", "7") as {
      KeyState: string;
      PendingWindowInDays: number;
      DeletionDate: string;
    };
    expect(scheduled).toMatchObject({ KeyState: "PendingDeletion", PendingWindowInDays: 7 });
    const days = (new Date(scheduled.DeletionDate).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    expect(awsError("encrypt", "--key-id", key.KeyMetadata.KeyId, "--plaintext", "aGk=")).toContain("KMSInvalidStateException");
    aws("cancel-key-deletion", "--key-id", key.KeyMetadata.KeyId);
    expect((aws("describe-key", "--key-id", key.KeyMetadata.KeyId) as { KeyMetadata: { KeyState: string } }).KeyMetadata.KeyState).toBe("Disabled");
  });

  it("imports key material wrapped with openssl, as the AWS documentation does it (bring your own key)", () => {
    const key = aws("create-key", "--origin", "EXTERNAL") as { KeyMetadata: { KeyId: string; KeyState: string } };
    expect(key.KeyMetadata.KeyState).toBe("PendingImport");
    const keyId = key.KeyMetadata.KeyId;
    const params = aws("get-parameters-for-import", "--key-id", keyId, "--wrapping-algorithm", "RSAES_OAEP_SHA_256", "--wrapping-key-spec", "RSA_2048") as {
      PublicKey: string;
      ImportToken: string;
    };
    const file = (name: string) => join(dir, name);
    writeFileSync(file("wrapping-key.der"), Buffer.from(params.PublicKey, "base64"));
    writeFileSync(file("import-token.bin"), Buffer.from(params.ImportToken, "base64"));
    // The material never passes through anything of Keyhold's but the wrapped blob.
    execFileSync("openssl", ["rand", "-out", file("material.bin"), "32"]);
    execFileSync("openssl", [
      "pkeyutl", "-encrypt", "-in", file("material.bin"), "-out", file("wrapped.bin"),
      "-inkey", file("wrapping-key.der"), "-keyform", "DER", "-pubin",
      "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
    ]);
    recordSecret(readFileSync(file("material.bin")));
    aws("import-key-material", "--key-id", keyId, "--encrypted-key-material", `fileb://${file("wrapped.bin")}`, "--import-token", `fileb://${file("import-token.bin")}`, "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE");
    expect((aws("describe-key", "--key-id", keyId) as { KeyMetadata: { KeyState: string; Origin: string } }).KeyMetadata).toMatchObject({ KeyState: "Enabled", Origin: "EXTERNAL" });

    writeFileSync(file("byok.txt"), "sealed with my own key");
    const { CiphertextBlob } = aws("encrypt", "--key-id", keyId, "--plaintext", `fileb://${file("byok.txt")}`) as { CiphertextBlob: string };
    writeFileSync(file("byok.ct"), Buffer.from(CiphertextBlob, "base64"));
    const { Plaintext } = aws("decrypt", "--ciphertext-blob", `fileb://${file("byok.ct")}`) as { Plaintext: string };
    expect(Buffer.from(Plaintext, "base64").toString()).toBe("sealed with my own key");

    // Deleting the material makes the ciphertext undecryptable until the same material is imported again.
    aws("delete-imported-key-material", "--key-id", keyId);
    expect(awsError("decrypt", "--ciphertext-blob", `fileb://${file("byok.ct")}`)).toMatch(/KMSInvalidStateException|InvalidCiphertextException/);
  });

  it("imports an openssl-generated RSA private key wrapped with RSA_AES_KEY_WRAP_SHA_256 (openssl), then signs with it", () => {
    const key = aws("create-key", "--origin", "EXTERNAL", "--key-spec", "RSA_2048", "--key-usage", "SIGN_VERIFY") as { KeyMetadata: { KeyId: string; Arn: string } };
    const keyId = key.KeyMetadata.KeyId;
    const file = (name: string) => join(dir, `rsa-${name}`);
    // RSAES_OAEP cannot carry an RSA private key: refused up front, as AWS.
    expect(awsError("get-parameters-for-import", "--key-id", keyId, "--wrapping-algorithm", "RSAES_OAEP_SHA_256", "--wrapping-key-spec", "RSA_4096")).toContain("ValidationException");
    const params = aws("get-parameters-for-import", "--key-id", keyId, "--wrapping-algorithm", "RSA_AES_KEY_WRAP_SHA_256", "--wrapping-key-spec", "RSA_4096") as {
      PublicKey: string;
      ImportToken: string;
    };
    writeFileSync(file("wrapping-key.der"), Buffer.from(params.PublicKey, "base64"));
    writeFileSync(file("import-token.bin"), Buffer.from(params.ImportToken, "base64"));
    // The AWS developer guide's steps: a PKCS#8 DER private key, an ephemeral AES key wrapped
    // with RSA-OAEP-SHA256, the key wrapped with AES key wrap with padding, concatenated.
    execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file("private.pem")]);
    execFileSync("openssl", ["pkcs8", "-topk8", "-nocrypt", "-in", file("private.pem"), "-outform", "DER", "-out", file("private.der")]);
    execFileSync("openssl", ["rand", "-out", file("aes.bin"), "32"]);
    execFileSync("openssl", [
      "pkeyutl", "-encrypt", "-in", file("aes.bin"), "-out", file("aes-wrapped.bin"),
      "-inkey", file("wrapping-key.der"), "-keyform", "DER", "-pubin",
      "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
    ]);
    const aesHex = readFileSync(file("aes.bin")).toString("hex");
    execFileSync("openssl", ["enc", "-id-aes256-wrap-pad", "-K", aesHex, "-iv", "A65959A6", "-in", file("private.der"), "-out", file("key-wrapped.bin")]);
    writeFileSync(file("wrapped.bin"), Buffer.concat([readFileSync(file("aes-wrapped.bin")), readFileSync(file("key-wrapped.bin"))]));
    recordSecret(readFileSync(file("private.der")));
    // (Debian's AWS CLI v1 predates the KeyId/KeyMaterialId in ImportKeyMaterial's response: it prints nothing.)
    aws("import-key-material", "--key-id", keyId, "--encrypted-key-material", `fileb://${file("wrapped.bin")}`, "--import-token", `fileb://${file("import-token.bin")}`, "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE");
    expect((aws("describe-key", "--key-id", keyId) as { KeyMetadata: { KeyState: string; Arn: string } }).KeyMetadata).toMatchObject({ KeyState: "Enabled", Arn: key.KeyMetadata.Arn });

    // Signed by Keyhold, verified by openssl with the public half of the owner's own key.
    writeFileSync(file("msg.txt"), "signed with my imported RSA key");
    const sig = aws("sign", "--key-id", keyId, "--message", `fileb://${file("msg.txt")}`, "--message-type", "RAW", "--signing-algorithm", "RSASSA_PKCS1_V1_5_SHA_256") as { Signature: string };
    writeFileSync(file("sig.bin"), Buffer.from(sig.Signature, "base64"));
    execFileSync("openssl", ["pkey", "-in", file("private.pem"), "-pubout", "-out", file("public.pem")]);
    const verified = execFileSync("openssl", ["dgst", "-sha256", "-verify", file("public.pem"), "-signature", file("sig.bin"), file("msg.txt")], { encoding: "utf8" });
    expect(verified).toContain("Verified OK");
    const pub = aws("get-public-key", "--key-id", keyId) as { PublicKey: string };
    const ownDer = execFileSync("openssl", ["pkey", "-in", file("private.pem"), "-pubout", "-outform", "DER"]);
    expect(Buffer.from(pub.PublicKey, "base64").equals(ownDer)).toBe(true);
  }, 120_000); // eight AWS CLI (Python) and eleven openssl processes
});
