// An HSM that stops answering is bounded like the database: a real fault injected below Keyhold (a
// PKCS#11 shim over SoftHSM2 whose chosen functions block while a control file exists) and the real
// AWS SDK against a started API server. While the token hangs, calls on its keys answer
// DependencyTimeoutException (before the HSM answers: the control file still exists) and everything
// else keeps answering meanwhile (software keys, DescribeKey, /readyz); a login that hangs leaves the
// store FAILED with NETWORK_ERRORS; once the HSM answers again, its keys work again.
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DecryptCommand,
  DependencyTimeoutException,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  DisconnectCustomKeyStoreCommand,
  EncryptCommand,
  GenerateRandomCommand,
  KMSClient,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSecret } from "../secret-registry";
import { buildHangShim, hangShimUnavailable, type HangingFunction, type HangShim } from "../support/hang-shim";
import { createSoftHsm, selfSignedTrustAnchor, type SoftHsm } from "../support/softhsm";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";

const PIN = "hang-test-pin-31337";
const LABEL = "kh-hang";
const TIMEOUT_MS = 3000;
const unavailable = hangShimUnavailable();

let hsm: SoftHsm;
let shim: HangShim;
let server: TestServer;
let kms: KMSClient;
let storeId: string;
let hsmKey: string;
let softwareKey: string;

/** Watches a call without awaiting it: whether it has answered yet, and how. */
function watch<T>(p: Promise<T>) {
  const state = { settled: false, outcome: p.then((value) => ({ value }), (error: unknown) => ({ error })) };
  void state.outcome.then(() => (state.settled = true));
  return state;
}

/** The rest of the service answers while `pending` (a call stuck on the hung HSM) has not. */
async function othersAnswerWhile(pending: { settled: boolean }, hsmKeyState = "Enabled"): Promise<void> {
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: softwareKey, Plaintext: Buffer.from("software path") }));
  expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe("software path");
  expect((await kms.send(new DescribeKeyCommand({ KeyId: hsmKey }))).KeyMetadata!.KeyState).toBe(hsmKeyState);
  expect((await fetch(`${server.endpoint}/readyz`)).status).toBe(200);
  expect(pending.settled, "the HSM call answered before the others").toBe(false);
}

async function expectHsmTimeout(outcome: Promise<{ value?: unknown; error?: unknown }>, fn: HangingFunction): Promise<void> {
  const { error } = await outcome;
  expect(error).toBeInstanceOf(DependencyTimeoutException);
  expect((error as Error).message).toMatch(/HSM of the custom key store did not answer in time/);
  // Answered by the bound, not by the HSM: it still hangs.
  expect(shim.isHanging(fn)).toBe(true);
}

const describeStore = async () => (await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: storeId }))).CustomKeyStores![0]!;

describe.skipIf(unavailable !== undefined)(`a hung HSM under a custom key store${unavailable ? ` (skipped: ${unavailable})` : ""}`, { timeout: 120_000 }, () => {
  beforeAll(async () => {
    recordSecret(PIN, "hang test PIN");
    hsm = createSoftHsm();
    hsm.initToken(LABEL, PIN);
    shim = buildHangShim();
    server = await startApiServer({ env: { ...hsm.env, ...shim.env, KEYHOLD_HSM_TIMEOUT_MS: String(TIMEOUT_MS) } });
    kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    ({ CustomKeyStoreId: storeId } = (await kms.send(
      new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "hang", CloudHsmClusterId: LABEL, KeyStorePassword: PIN, TrustAnchorCertificate: selfSignedTrustAnchor() }),
    )) as { CustomKeyStoreId: string });
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    hsmKey = (await kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" }))).KeyMetadata!.KeyId!;
    softwareKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  afterAll(async () => {
    kms?.destroy();
    for (const fn of ["C_Login", "C_EncryptInit", "C_Encrypt"] as const) shim?.release(fn);
    await server?.stop();
    shim?.cleanup();
    hsm?.cleanup();
  });

  it("answers DependencyTimeoutException for a key whose token hangs in C_EncryptInit, and serves everything else meanwhile", async () => {
    const before = (await kms.send(new EncryptCommand({ KeyId: hsmKey, Plaintext: Buffer.from("before the hang") }))).CiphertextBlob!;
    shim.hang("C_EncryptInit");
    const first = watch(kms.send(new EncryptCommand({ KeyId: hsmKey, Plaintext: Buffer.from("x") })));
    await othersAnswerWhile(first);
    await expectHsmTimeout(first.outcome, "C_EncryptInit");
    // The hung worker was killed; the next call gets a fresh one, which logs in again: Decrypt does
    // not use C_EncryptInit, so the token answers it.
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: before }))).Plaintext!).toString()).toBe("before the hang");
    // Encrypt hangs there again, as often as it is tried: each time bounded, each time a fresh worker.
    for (let i = 0; i < 2; i++) {
      const again = watch(kms.send(new EncryptCommand({ KeyId: hsmKey, Plaintext: Buffer.from("x") })));
      await othersAnswerWhile(again);
      await expectHsmTimeout(again.outcome, "C_EncryptInit");
    }

    shim.release("C_EncryptInit");
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: hsmKey, Plaintext: Buffer.from("after the hang") }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe("after the hang");
    expect(await describeStore()).toMatchObject({ ConnectionState: "CONNECTED" });
  });

  it("bounds C_Encrypt the same way", async () => {
    shim.hang("C_Encrypt");
    const pending = watch(kms.send(new EncryptCommand({ KeyId: hsmKey, Plaintext: Buffer.from("x") })));
    await othersAnswerWhile(pending);
    await expectHsmTimeout(pending.outcome, "C_Encrypt");
    shim.release("C_Encrypt");
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: hsmKey, Plaintext: Buffer.from("works again") }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe("works again");
  });

  it("leaves the store FAILED with NETWORK_ERRORS when the login hangs, and connects once the HSM answers", async () => {
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    shim.hang("C_Login");
    // As AWS: ConnectCustomKeyStore answers; the store shows why it is not connected.
    const connecting = watch(kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId })));
    await othersAnswerWhile(connecting, "Unavailable"); // its store is not connected yet
    const outcome = await connecting.outcome;
    expect("error" in outcome ? outcome.error : undefined).toBeUndefined();
    expect(shim.isHanging("C_Login")).toBe(true);
    expect(await describeStore()).toMatchObject({ ConnectionState: "FAILED", ConnectionErrorCode: "NETWORK_ERRORS" });

    shim.release("C_Login");
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    expect(await describeStore()).toMatchObject({ ConnectionState: "CONNECTED" });
    expect((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId: storeId }))).Plaintext).toHaveLength(16);
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: hsmKey, Plaintext: Buffer.from("reconnected") }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe("reconnected");
  });
});
