// kill -9 of the server while it encrypts under an HSM key (a custom key
// store on SoftHSM2), then a restart on the same data folder and database: the
// key, every ciphertext answered before the crash and the store's connection
// come back (the new process logs in to the token again on first use).
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeCustomKeyStoresCommand,
  EncryptCommand,
  KMSClient,
} from "@aws-sdk/client-kms";
import { afterAll, describe, expect, it } from "vitest";
import { recordSecret } from "../secret-registry";
import { createSoftHsm, softHsmAvailable, type SoftHsm, selfSignedTrustAnchor } from "../support/softhsm";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";

const PIN = "crash-test-pin-31";
const TRUST_ANCHOR = selfSignedTrustAnchor("keyhold-crash-hsm");
const WORKERS = 8;
/** Answered encryptions before the kill: enough to be sure it lands mid-load. */
const ANSWERED_BEFORE_KILL = 60;

let hsm: SoftHsm | undefined;
let server: TestServer | undefined;
let kms: KMSClient | undefined;
afterAll(async () => {
  kms?.destroy();
  await server?.stop();
  hsm?.cleanup();
});

const client = (s: TestServer) => new KMSClient({ endpoint: s.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });

describe.skipIf(!softHsmAvailable())("kill -9 during HSM Encrypt load", () => {
  it("keeps the HSM key and every answered ciphertext across a crash and restart", async () => {
    recordSecret(PIN, "crash test PIN");
    hsm = createSoftHsm();
    hsm.initToken("kh-crash", PIN);
    server = await startApiServer({ env: hsm.env });
    kms = client(server);
    const { CustomKeyStoreId } = await kms.send(
      new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "crash", CloudHsmClusterId: "kh-crash", KeyStorePassword: PIN, TrustAnchorCertificate: TRUST_ANCHOR }),
    );
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId }));
    const keyId = (await kms.send(new CreateKeyCommand({ CustomKeyStoreId, Origin: "AWS_CLOUDHSM" }))).KeyMetadata!.KeyId!;
    const answered: Array<{ plaintext: string; blob: Uint8Array }> = [];
    const before = `before the crash ${keyId}`;
    answered.push({ plaintext: before, blob: (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(before) }))).CiphertextBlob! });

    // Load: WORKERS loops of Encrypt; the server is killed once enough have been answered.
    let stop = false;
    let failedAfterKill = 0;
    let killed: Promise<void> | undefined;
    const loops = Array.from({ length: WORKERS }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const plaintext = `load ${w}/${i} ${keyId}`;
        try {
          const out = await kms!.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext), EncryptionContext: { w: String(w) } }));
          answered.push({ plaintext, blob: out.CiphertextBlob! });
          if (answered.length >= ANSWERED_BEFORE_KILL && !killed) {
            killed = server!.kill9();
            stop = true;
          }
        } catch {
          failedAfterKill++; // calls cut off by the kill
          stop = true;
        }
      }
    });
    await Promise.all(loops);
    await killed;
    expect(answered.length).toBeGreaterThanOrEqual(ANSWERED_BEFORE_KILL);
    expect(failedAfterKill).toBeLessThanOrEqual(WORKERS);
    kms.destroy();

    server = await startApiServer({ dataDir: server.dataDir, databaseUrl: server.env.DATABASE_URL, env: hsm.env });
    kms = client(server);
    expect((await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId }))).CustomKeyStores![0]!.ConnectionState).toBe("CONNECTED");
    for (const { plaintext, blob } of answered) {
      const w = /^load (\d+)\//.exec(plaintext)?.[1];
      const out = await kms.send(new DecryptCommand({ CiphertextBlob: blob, ...(w !== undefined ? { EncryptionContext: { w } } : {}) }));
      expect(Buffer.from(out.Plaintext!).toString()).toBe(plaintext);
    }
    const after = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("after the restart") }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob }))).Plaintext!).toString()).toBe("after the restart");

    // Still exactly one key object in the token for the key.
    const listed = hsm.pkcs11Tool(["--token-label", "kh-crash", "--login", "--pin", PIN, "--list-objects", "--type", "secrkey"]);
    expect(listed.stdout.split(`label:      ${keyId}`).length - 1).toBe(1);
  }, 240_000);
});
