// The AWS Encryption SDK for JavaScript: envelope encryption of a 1 MiB file
// through a Keyhold key, and discovery decryption.
import { randomBytes } from "node:crypto";
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from "@aws-crypto/client-node";
import { CreateKeyCommand, KMS, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSecret } from "../secret-registry";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";

let server: TestServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => server?.stop());

describe("AWS Encryption SDK (@aws-crypto/client-node)", () => {
  it("encrypts and decrypts 1 MiB through the key, and a discovery keyring decrypts it", async () => {
    const kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "encryption sdk" }));
    kms.destroy();
    const clientProvider = getClient(KMS, { endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY });
    const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

    const keyring = new KmsKeyringNode({ generatorKeyId: KeyMetadata!.Arn!, clientProvider });
    const plaintext = randomBytes(1024 * 1024);
    // Its first 1023 bytes (a whole number of base64 groups): any leak of it shows them.
    recordSecret(plaintext.subarray(0, 1023), "encryption SDK plaintext (first 1023 bytes)");
    const context = { stage: "test", file: "one-mebibyte.bin" };
    const { result } = await encrypt(keyring, plaintext, { encryptionContext: context });
    expect(result.length).toBeGreaterThan(plaintext.length);

    const decrypted = await decrypt(keyring, result);
    expect(Buffer.compare(decrypted.plaintext, plaintext)).toBe(0);
    expect(decrypted.messageHeader.encryptionContext).toMatchObject(context);

    const discovery = new KmsKeyringNode({
      discovery: true,
      discoveryFilter: { accountIDs: [KeyMetadata!.AWSAccountId!], partition: "aws" },
      clientProvider,
    });
    const viaDiscovery = await decrypt(discovery, result);
    expect(Buffer.compare(viaDiscovery.plaintext, plaintext)).toBe(0);

    const wrongAccount = new KmsKeyringNode({
      discovery: true,
      discoveryFilter: { accountIDs: ["000000000000"], partition: "aws" },
      clientProvider,
    });
    await expect(decrypt(wrongAccount, result)).rejects.toThrow();
  });
});
