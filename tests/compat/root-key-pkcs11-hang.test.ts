// The pkcs11 root key store on an HSM that stops answering (a PKCS#11 shim over SoftHSM2 whose
// C_Encrypt blocks while a control file exists), with the real AWS SDK against a started API server:
// a call that must wrap under the root key (CreateKey) answers DependencyTimeoutException naming the
// root key's token, while calls that need no wrapping keep answering meanwhile; once the HSM
// answers again, CreateKey works again.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateKeyCommand, DecryptCommand, DependencyTimeoutException, DescribeKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSecret } from "../secret-registry";
import { buildHangShim, hangShimUnavailable, type HangShim } from "../support/hang-shim";
import { createSoftHsmToken, type SoftHsmToken } from "../support/softhsm-root";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";

const TIMEOUT_MS = 3000;
const unavailable = hangShimUnavailable();

describe.skipIf(unavailable !== undefined)(`a hung HSM holding the root key${unavailable ? ` (skipped: ${unavailable})` : ""}`, { timeout: 120_000 }, () => {
  let token: SoftHsmToken;
  let shim: HangShim;
  let server: TestServer;
  let kms: KMSClient;

  beforeAll(async () => {
    token = createSoftHsmToken();
    recordSecret(token.pin, "softhsm user pin (hang)");
    const pinFile = join(token.dir, "pin");
    writeFileSync(pinFile, `${token.pin}\n`, { mode: 0o600 });
    shim = buildHangShim();
    server = await startApiServer({
      env: {
        SOFTHSM2_CONF: token.conf,
        KEYHOLD_ROOT_KEY_STORE: "pkcs11",
        KEYHOLD_PKCS11_TOKEN_LABEL: token.tokenLabel,
        KEYHOLD_PKCS11_PIN_FILE: pinFile,
        KEYHOLD_HSM_TIMEOUT_MS: String(TIMEOUT_MS),
        ...shim.env,
      },
    });
    kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
  });
  afterAll(async () => {
    kms?.destroy();
    shim?.release("C_Encrypt");
    await server?.stop();
    shim?.cleanup();
    token?.remove();
  });

  it("answers DependencyTimeoutException for a wrap under the hung root key and serves the rest meanwhile", async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const before = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("before the hang") }))).CiphertextBlob!;

    shim.hang("C_Encrypt");
    let settled = false;
    const creating = kms.send(new CreateKeyCommand({})).then(
      () => undefined,
      (e: unknown) => e,
    );
    void creating.then(() => (settled = true));
    // No wrapping needed: the existing key's material is unwrapped with C_Decrypt, which answers.
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe("Enabled");
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("during the hang") }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: before }))).Plaintext!).toString()).toBe("before the hang");
    expect((await fetch(`${server.endpoint}/readyz`)).status).toBe(200);
    expect(settled, "CreateKey answered before the others").toBe(false);

    const error = await creating;
    expect(error).toBeInstanceOf(DependencyTimeoutException);
    expect((error as Error).message).toContain(`The HSM holding the root key (PKCS#11 token "${token.tokenLabel}") did not answer within ${TIMEOUT_MS} ms`);
    expect(shim.isHanging("C_Encrypt")).toBe(true); // answered by the bound, not by the HSM

    shim.release("C_Encrypt");
    const after = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const sealed = (await kms.send(new EncryptCommand({ KeyId: after, Plaintext: Buffer.from("after the hang") }))).CiphertextBlob!;
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: sealed }))).Plaintext!).toString()).toBe("after the hang");
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe("during the hang");
  });
});
