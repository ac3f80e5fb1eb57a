// Every other implemented operation through the official AWS SDK: success
// and a documented error each, exceptions checked with instanceof.
import { createHash, createPublicKey, generateKeyPairSync, verify as nodeVerify } from "node:crypto";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetKeyRotationStatusCommand,
  GetPublicKeyCommand,
  InvalidAliasNameException,
  AlreadyExistsException,
  KMSClient,
  KMSInvalidMacException,
  KMSInvalidSignatureException,
  KMSInvalidStateException,
  LimitExceededException,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListResourceTagsCommand,
  NotFoundException,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagException,
  TagResourceCommand,
  UnsupportedOperationException,
  UntagResourceCommand,
  UpdateAliasCommand,
  VerifyCommand,
  VerifyMacCommand,
  InvalidKeyUsageException,
  CreateGrantCommand,
  GetKeyPolicyCommand,
  InvalidGrantIdException,
  InvalidGrantTokenException,
  InvalidMarkerException,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  ListRetirableGrantsCommand,
  MalformedPolicyDocumentException,
  PutKeyPolicyCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSdkSecrets } from "../secret-registry";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";
import { rejects } from "./rejects";

let server: TestServer;
let kms: KMSClient;
beforeAll(async () => {
  server = await startApiServer();
  kms = recordSdkSecrets(new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 }));
});
afterAll(async () => {
  kms?.destroy();
  await server?.stop();
});

const newKey = async (input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) =>
  (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;

describe("AWS SDK: aliases and tags", () => {
  it("creates, re-points, lists and deletes aliases", async () => {
    const a = await newKey();
    const b = await newKey();
    const name = `alias/sdk-${Date.now()}`;
    await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: a.KeyId }));
    await rejects(kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: a.KeyId })), AlreadyExistsException);
    await rejects(kms.send(new CreateAliasCommand({ AliasName: "alias/aws/reserved", TargetKeyId: a.KeyId })), InvalidAliasNameException);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata!.KeyId).toBe(a.KeyId);
    await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: b.KeyId }));
    const listed = await kms.send(new ListAliasesCommand({ KeyId: b.KeyId }));
    expect(listed.Aliases!.map((x) => x.AliasName)).toContain(name);
    await kms.send(new DeleteAliasCommand({ AliasName: name }));
    await rejects(kms.send(new DescribeKeyCommand({ KeyId: name })), NotFoundException);
  });

  it("tags and untags a key", async () => {
    const k = await newKey();
    await kms.send(new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: "env", TagValue: "prod" }, { TagKey: "team", TagValue: "a" }] }));
    await kms.send(new UntagResourceCommand({ KeyId: k.KeyId, TagKeys: ["team"] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId }))).Tags).toEqual([{ TagKey: "env", TagValue: "prod" }]);
    await rejects(kms.send(new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: "aws:x", TagValue: "y" }] })), TagException);
  });
});

describe("AWS SDK: lifecycle", () => {
  it("rotates keys and keeps old ciphertexts decryptable", async () => {
    const k = await newKey();
    const old = await kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from("v1") }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: k.KeyId, RotationPeriodInDays: 90 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: k.KeyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    expect(status.NextRotationDate).toBeInstanceOf(Date);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId }));
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId: k.KeyId }))).Rotations).toHaveLength(1);
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext!).toString()).toBe("v1");
    await kms.send(new DisableKeyRotationCommand({ KeyId: k.KeyId }));
    const rsa = await newKey({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" });
    await rejects(kms.send(new EnableKeyRotationCommand({ KeyId: rsa.KeyId })), UnsupportedOperationException);
    expect(LimitExceededException).toBeDefined();
  });

  it("schedules and cancels deletion", async () => {
    const k = await newKey();
    const s = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 7 }));
    expect(s.KeyState).toBe("PendingDeletion");
    await rejects(kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from("x") })), KMSInvalidStateException);
    await rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId })), KMSInvalidStateException);
    await kms.send(new CancelKeyDeletionCommand({ KeyId: k.KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!.KeyState).toBe("Disabled");
  });
});

describe("AWS SDK: asymmetric, HMAC and random", () => {
  it("signs and verifies; the public key verifies outside", async () => {
    const k = await newKey({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
    const message = Buffer.from("hello");
    const { Signature } = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" }));
    const ok = await kms.send(new VerifyCommand({ KeyId: k.KeyId, Message: message, Signature, SigningAlgorithm: "RSASSA_PSS_SHA_256" }));
    expect(ok.SignatureValid).toBe(true);
    await rejects(kms.send(new VerifyCommand({ KeyId: k.KeyId, Message: Buffer.from("bye"), Signature, SigningAlgorithm: "RSASSA_PSS_SHA_256" })), KMSInvalidSignatureException);
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: k.KeyId }));
    const pub = createPublicKey({ key: Buffer.from(PublicKey!), format: "der", type: "spki" });
    expect(nodeVerify("sha256", message, { key: pub, padding: 6, saltLength: 32 }, Buffer.from(Signature!))).toBe(true);
    const digest = createHash("sha256").update(message).digest();
    const digestSig = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: digest, MessageType: "DIGEST", SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256" }));
    expect(nodeVerify("sha256", message, pub, Buffer.from(digestSig.Signature!))).toBe(true);
    await rejects(kms.send(new SignCommand({ KeyId: k.KeyId, Message: message, SigningAlgorithm: "ECDSA_SHA_256" })), InvalidKeyUsageException);
    const sym = await newKey();
    await rejects(kms.send(new GetPublicKeyCommand({ KeyId: sym.KeyId })), UnsupportedOperationException);
  });

  it("generates and verifies MACs", async () => {
    const k = await newKey({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: k.KeyId, Message: Buffer.from("m"), MacAlgorithm: "HMAC_SHA_256" }));
    expect((await kms.send(new VerifyMacCommand({ KeyId: k.KeyId, Message: Buffer.from("m"), Mac, MacAlgorithm: "HMAC_SHA_256" }))).MacValid).toBe(true);
    await rejects(kms.send(new VerifyMacCommand({ KeyId: k.KeyId, Message: Buffer.from("n"), Mac, MacAlgorithm: "HMAC_SHA_256" })), KMSInvalidMacException);
  });

  it("generates data key pairs, random bytes, re-encrypts and derives shared secrets", async () => {
    const k = await newKey();
    const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: k.KeyId, KeyPairSpec: "ECC_NIST_P256" }));
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }));
    expect(Buffer.from(back.Plaintext!)).toEqual(Buffer.from(pair.PrivateKeyPlaintext!));
    const wo = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: k.KeyId, KeyPairSpec: "RSA_2048" }));
    expect(wo).not.toHaveProperty("PrivateKeyPlaintext");
    expect((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }))).Plaintext).toHaveLength(64);

    const other = await newKey();
    const ct = await kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from("move me") }));
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: ct.CiphertextBlob, DestinationKeyId: other.KeyId }));
    expect(moved.KeyId).toBe(other.Arn);
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob }))).Plaintext!).toString()).toBe("move me");

    const agreement = await newKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT" });
    const peer = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const shared = await kms.send(
      new DeriveSharedSecretCommand({ KeyId: agreement.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: peer.publicKey.export({ format: "der", type: "spki" }) }),
    );
    expect(shared.SharedSecret).toHaveLength(32);
  });
});

describe("AWS SDK: key policies, grants and their errors", () => {
  it("lists, reads and replaces key policies; a malformed policy is MalformedPolicyDocumentException", async () => {
    const k = await newKey();
    const listed = await kms.send(new ListKeyPoliciesCommand({ KeyId: k.KeyId }));
    expect(listed).toMatchObject({ PolicyNames: ["default"], Truncated: false });
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: k.KeyId, PolicyName: "default" }));
    await kms.send(new PutKeyPolicyCommand({ KeyId: k.KeyId, PolicyName: "default", Policy }));
    const e = await kms
      .send(new PutKeyPolicyCommand({ KeyId: k.KeyId, PolicyName: "default", Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }) }))
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MalformedPolicyDocumentException);
    expect((e as Error).message).toMatch(/Principal/);
    await rejects(kms.send(new ListKeyPoliciesCommand({ KeyId: "11111111-2222-3333-4444-555555555555" })), NotFoundException);
  });

  it("creates, lists, retires and revokes grants", async () => {
    const k = await newKey();
    const root = `arn:aws:iam::${k.AWSAccountId}:root`;
    const grantee = `arn:aws:iam::${k.AWSAccountId}:user/sdk-grantee`;
    // A grantee must exist, as in AWS.
    const created = server.cli(["user", "create", "--username", "sdk-grantee", "--role", "none", "--service-account"]);
    expect(created.status, created.stderr).toBe(0);
    const first = await kms.send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: grantee, RetiringPrincipal: root, Operations: ["Encrypt", "Decrypt"], Name: "sdk-first" }));
    expect(first.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(first.GrantToken).toBeTruthy();
    const second = await kms.send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: grantee, RetiringPrincipal: root, Operations: ["Decrypt"] }));
    const third = await kms.send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: grantee, Operations: ["Encrypt"] }));

    const onKey = await kms.send(new ListGrantsCommand({ KeyId: k.KeyId }));
    expect(onKey.Grants!.map((g) => g.GrantId).sort()).toEqual([first.GrantId, second.GrantId, third.GrantId].sort());
    expect(onKey.Grants!.find((g) => g.GrantId === first.GrantId)).toMatchObject({ KeyId: k.Arn, GranteePrincipal: grantee, RetiringPrincipal: root, Name: "sdk-first" });

    const retirable = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: root }));
    const mine = retirable.Grants!.filter((g) => g.KeyId === k.Arn).map((g) => g.GrantId).sort();
    expect(mine).toEqual([first.GrantId, second.GrantId].sort());

    // Retire by token, then by key and grant ID; revoke the last.
    await kms.send(new RetireGrantCommand({ GrantToken: first.GrantToken }));
    await kms.send(new RetireGrantCommand({ KeyId: k.KeyId, GrantId: second.GrantId }));
    await kms.send(new RevokeGrantCommand({ KeyId: k.KeyId, GrantId: third.GrantId }));
    expect((await kms.send(new ListGrantsCommand({ KeyId: k.KeyId }))).Grants).toEqual([]);
    await rejects(kms.send(new RetireGrantCommand({ KeyId: k.KeyId, GrantId: first.GrantId })), NotFoundException);
  });

  it("InvalidMarkerException, InvalidGrantTokenException and InvalidGrantIdException", async () => {
    const k = await newKey();
    await rejects(kms.send(new ListKeysCommand({ Marker: "not-a-marker" })), InvalidMarkerException);
    await rejects(kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId, Marker: "bm90LWEtbWFya2Vy" })), InvalidMarkerException);
    await rejects(kms.send(new ListGrantsCommand({ KeyId: k.KeyId, Marker: "garbage" })), InvalidMarkerException);

    await rejects(kms.send(new RetireGrantCommand({ GrantToken: "not a grant token" })), InvalidGrantTokenException);
    await rejects(kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from("x"), GrantTokens: ["not a grant token"] })), InvalidGrantTokenException);

    await rejects(kms.send(new RevokeGrantCommand({ KeyId: k.KeyId, GrantId: "not-hex" })), InvalidGrantIdException);
    await rejects(kms.send(new RetireGrantCommand({ KeyId: k.KeyId, GrantId: "not-hex" })), InvalidGrantIdException);
    const grant = await kms.send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: `arn:aws:iam::${k.AWSAccountId}:root`, Operations: ["Encrypt"] }));
    // A token and a grant ID that disagree.
    await rejects(kms.send(new RetireGrantCommand({ GrantToken: grant.GrantToken, GrantId: "0".repeat(64) })), InvalidGrantIdException);
  });
});
