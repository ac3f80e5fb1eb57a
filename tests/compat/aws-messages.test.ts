// Keyhold answers as AWS KMS answers: exception name, HTTP status and exact
// message text, read back through the official SDK (@aws-sdk/client-kms), one
// table-driven case per AWS behaviour (issue 13). The texts are AWS's own.
import { randomBytes } from "node:crypto";
import {
  CreateAliasCommand,
  DeleteImportedKeyMaterialCommand,
  GetParametersForImportCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  KMSClient,
  ListResourceTagsCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UntagResourceCommand,
  VerifyCommand,
  VerifyMacCommand,
  type Tag,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSdkSecrets } from "../secret-registry";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";
import { send, signedRequest } from "./signed-request";

let server: TestServer;
let kms: KMSClient;

/** The keys the cases use, made once. */
const keys = {} as Record<
  "sym" | "sym2" | "rsa" | "rsaSign" | "hmac224" | "ecc" | "ed25519" | "mlDsa44" | "disabled" | "disabledRsa" | "pending" | "external",
  { id: string; arn: string }
>;
let ciphertext: Uint8Array;

async function createKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) {
  const md = (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
  return { id: md.KeyId!, arn: md.Arn! };
}

beforeAll(async () => {
  server = await startApiServer();
  kms = recordSdkSecrets(new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 }));
  keys.sym = await createKey();
  keys.sym2 = await createKey();
  keys.rsa = await createKey({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" });
  keys.rsaSign = await createKey({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
  keys.hmac224 = await createKey({ KeySpec: "HMAC_224", KeyUsage: "GENERATE_VERIFY_MAC" });
  keys.ecc = await createKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
  keys.ed25519 = await createKey({ KeySpec: "ECC_NIST_EDWARDS25519", KeyUsage: "SIGN_VERIFY" });
  keys.mlDsa44 = await createKey({ KeySpec: "ML_DSA_44", KeyUsage: "SIGN_VERIFY" });
  keys.disabled = await createKey();
  await kms.send(new DisableKeyCommand({ KeyId: keys.disabled.id }));
  keys.disabledRsa = await createKey({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" });
  await kms.send(new DisableKeyCommand({ KeyId: keys.disabledRsa.id }));
  keys.pending = await createKey();
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keys.pending.id, PendingWindowInDays: 7 }));
  keys.external = await createKey({ Origin: "EXTERNAL" });
  ciphertext = (await kms.send(new EncryptCommand({ KeyId: keys.sym.id, Plaintext: Buffer.from("secret") }))).CiphertextBlob!;
});

afterAll(async () => {
  kms?.destroy();
  await server?.stop();
});

/** The SDK's error for a call that must fail. */
async function failure(call: () => Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await call();
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error("the call succeeded");
}

const arnOf = (k: keyof typeof keys) => keys[k].arn;
const tags = (n: number, prefix = "k"): Tag[] => Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${i}`, TagValue: "v" }));
/** Bytes that are no Keyhold ciphertext (the first byte is never the format's magic). */
const notCiphertext = (n: number) => Buffer.concat([Buffer.from([0]), randomBytes(n - 1)]);
/** The SDK's message for an exception the service sent without one. */
const NO_MESSAGE = "UnknownError";
const INCORRECT_KEY = "The key ID in the request does not identify a CMK that can perform this operation.";

type Case = [title: string, call: () => Promise<unknown>, name: string, message: () => string];

const cases: Case[] = [
  // --- Decrypt / ReEncrypt with a key that did not encrypt the ciphertext ---
  ["Decrypt: KeyId of another symmetric key", () => kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: keys.sym2.id })), "IncorrectKeyException", () => INCORRECT_KEY],
  ["Decrypt: KeyId of an HMAC key", () => kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: keys.hmac224.id })), "IncorrectKeyException", () => INCORRECT_KEY],
  ["Decrypt: KeyId of an RSA key", () => kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: keys.rsa.arn, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })), "IncorrectKeyException", () => INCORRECT_KEY],
  ["ReEncrypt: SourceKeyId of another key", () => kms.send(new ReEncryptCommand({ CiphertextBlob: ciphertext, SourceKeyId: keys.sym2.id, DestinationKeyId: keys.sym.id })), "IncorrectKeyException", () => INCORRECT_KEY],
  ["ReEncrypt: SourceKeyId of a signing key", () => kms.send(new ReEncryptCommand({ CiphertextBlob: ciphertext, SourceKeyId: keys.ecc.id, DestinationKeyId: keys.sym.id })), "IncorrectKeyException", () => INCORRECT_KEY],

  // --- Aliases and tags ---
  ["CreateAlias without alias/", () => kms.send(new CreateAliasCommand({ AliasName: "my-key", TargetKeyId: keys.sym.id })), "ValidationException", () => 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html'],
  ["CreateKey with 51 tags", () => kms.send(new CreateKeyCommand({ Tags: tags(51) })), "TagException", () => "Too many tags"],
  ["TagResource with 51 tags", () => kms.send(new TagResourceCommand({ KeyId: keys.sym.id, Tags: tags(51) })), "TagException", () => "Too many tags"],
  ["CreateKey with duplicate tag keys", () => kms.send(new CreateKeyCommand({ Tags: [{ TagKey: "a", TagValue: "1" }, { TagKey: "a", TagValue: "2" }] })), "TagException", () => "Duplicate tag keys"],
  ["TagResource with duplicate tag keys", () => kms.send(new TagResourceCommand({ KeyId: keys.sym.id, Tags: [{ TagKey: "a", TagValue: "1" }, { TagKey: "a", TagValue: "2" }] })), "TagException", () => "Duplicate tag keys"],
  ["CreateKey with an aws: tag", () => kms.send(new CreateKeyCommand({ Tags: [{ TagKey: "aws:owner", TagValue: "x" }] })), "TagException", () => "Tags beginning with aws: are reserved"],
  ["TagResource with an AWS: tag", () => kms.send(new TagResourceCommand({ KeyId: keys.sym.id, Tags: [{ TagKey: "AWS:owner", TagValue: "x" }] })), "TagException", () => "Tags beginning with aws: are reserved"],
  ["UntagResource of an aws: tag", () => kms.send(new UntagResourceCommand({ KeyId: keys.sym.id, TagKeys: ["aws:owner"] })), "TagException", () => "Tags beginning with aws: are reserved"],

  // --- Import operations on a key whose material KMS generated ---
  ["GetParametersForImport: key with origin AWS_KMS", () => kms.send(new GetParametersForImportCommand({ KeyId: keys.sym.id, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" })), "UnsupportedOperationException", () => `${arnOf("sym")} origin is AWS_KMS which is not valid for this operation.`],
  ["DeleteImportedKeyMaterial: key with origin AWS_KMS", () => kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: keys.sym.id })), "UnsupportedOperationException", () => `${arnOf("sym")} origin is AWS_KMS which is not valid for this operation.`],

  // --- Precedence: state before key spec ---
  // (RotateKeyOnDemand gets the same order on the aws-import branch, which owns rotation.ts's on-demand path.)
  ["EnableKeyRotation: disabled RSA key", () => kms.send(new EnableKeyRotationCommand({ KeyId: keys.disabledRsa.id })), "DisabledException", () => `${arnOf("disabledRsa")} is disabled.`],
  ["DisableKeyRotation: disabled RSA key", () => kms.send(new DisableKeyRotationCommand({ KeyId: keys.disabledRsa.id })), "DisabledException", () => `${arnOf("disabledRsa")} is disabled.`],
  ["EnableKeyRotation: enabled RSA key", () => kms.send(new EnableKeyRotationCommand({ KeyId: keys.rsa.id })), "UnsupportedOperationException", () => `${arnOf("rsa")} is a RSA_2048 key; automatic key rotation is supported only for symmetric encryption KMS keys.`],
  ["Encrypt: disabled key named by a well-formed id is state, then usage", () => kms.send(new EncryptCommand({ KeyId: keys.disabled.id, Plaintext: Buffer.from("x"), EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })), "DisabledException", () => `${arnOf("disabled")} is disabled.`],

  // --- Validation texts from the API model ---
  ["GenerateRandom: NumberOfBytes 1025", () => kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })), "ValidationException", () => "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"],
  ["Encrypt: enum value", () => kms.send(new EncryptCommand({ KeyId: keys.sym.id, Plaintext: Buffer.from("x"), EncryptionAlgorithm: "AES" as never })), "ValidationException", () => "1 validation error detected: Value 'AES' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]"],
  ["CreateKey: enum value, in the model's order", () => kms.send(new CreateKeyCommand({ KeyUsage: "SIGN" as never })), "ValidationException", () => "1 validation error detected: Value 'SIGN' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [SIGN_VERIFY, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT]"],
  ["Encrypt: two violations, the blob not quoted", () => kms.send(new EncryptCommand({ KeyId: "", Plaintext: randomBytes(4097) })), "ValidationException", () => "2 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"],
  ["Encrypt: missing KeyId", () => kms.send(new EncryptCommand({ Plaintext: Buffer.from("x") } as never)), "ValidationException", () => "KeyId is required."],
  ["CreateKey: a non-symmetric spec without KeyUsage", () => kms.send(new CreateKeyCommand({ KeySpec: "RSA_2048" })), "ValidationException", () => "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."],

  // --- Exceptions AWS sends without a message ---
  ["Decrypt: tampered ciphertext", () => kms.send(new DecryptCommand({ CiphertextBlob: Buffer.concat([Buffer.from(ciphertext.subarray(0, -1)), Buffer.from([ciphertext.at(-1)! ^ 1])]) })), "InvalidCiphertextException", () => NO_MESSAGE],
  ["Decrypt: not a ciphertext", () => kms.send(new DecryptCommand({ CiphertextBlob: notCiphertext(64) })), "InvalidCiphertextException", () => NO_MESSAGE],
  ["ReEncrypt: tampered ciphertext", () => kms.send(new ReEncryptCommand({ CiphertextBlob: notCiphertext(80), DestinationKeyId: keys.sym.id })), "InvalidCiphertextException", () => NO_MESSAGE],
  ["Verify: wrong signature", () => kms.send(new VerifyCommand({ KeyId: keys.ecc.id, Message: Buffer.from("m"), Signature: randomBytes(70), SigningAlgorithm: "ECDSA_SHA_256" })), "KMSInvalidSignatureException", () => NO_MESSAGE],
  ["VerifyMac: wrong MAC", () => kms.send(new VerifyMacCommand({ KeyId: keys.hmac224.id, Message: Buffer.from("m"), Mac: randomBytes(28), MacAlgorithm: "HMAC_SHA_224" })), "KMSInvalidMacException", () => NO_MESSAGE],

  // --- Key state and usage, named by the key ARN ---
  ["Encrypt: disabled key", () => kms.send(new EncryptCommand({ KeyId: keys.disabled.id, Plaintext: Buffer.from("x") })), "DisabledException", () => `${arnOf("disabled")} is disabled.`],
  ["Encrypt: key pending deletion", () => kms.send(new EncryptCommand({ KeyId: keys.pending.id, Plaintext: Buffer.from("x") })), "KMSInvalidStateException", () => `${arnOf("pending")} is pending deletion.`],
  ["Encrypt: key pending import", () => kms.send(new EncryptCommand({ KeyId: keys.external.id, Plaintext: Buffer.from("x") })), "KMSInvalidStateException", () => `${arnOf("external")} is pending import.`],
  ["Encrypt: signing key", () => kms.send(new EncryptCommand({ KeyId: keys.rsaSign.id, Plaintext: Buffer.from("x") })), "InvalidKeyUsageException", () => `${arnOf("rsaSign")} key usage is SIGN_VERIFY which is not valid for Encrypt.`],
  ["Sign: encryption key", () => kms.send(new SignCommand({ KeyId: keys.sym.id, Message: Buffer.from("x"), SigningAlgorithm: "ECDSA_SHA_256" })), "InvalidKeyUsageException", () => `${arnOf("sym")} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`],

  // --- Not found ---
  ["DescribeKey: not a key id", () => kms.send(new DescribeKeyCommand({ KeyId: "not-a-key" })), "NotFoundException", () => "Invalid keyId 'not-a-key'"],
  ["DescribeKey: a well-formed id that is not there", () => kms.send(new DescribeKeyCommand({ KeyId: "0b0e8f5a-1111-4222-8333-944455556666" })), "NotFoundException", () => `Key 'arn:aws:kms:${REGION}:${accountOf(arnOf("sym"))}:key/0b0e8f5a-1111-4222-8333-944455556666' does not exist`],
  ["DescribeKey: an mrk- id", () => kms.send(new DescribeKeyCommand({ KeyId: "mrk-1234abcd12ab34cd56ef1234567890ab" })), "NotFoundException", () => `Key 'arn:aws:kms:${REGION}:${accountOf(arnOf("sym"))}:key/mrk-1234abcd12ab34cd56ef1234567890ab' does not exist`],

  // --- Algorithm and spec ---
  ["Encrypt: RSA plaintext too long", () => kms.send(new EncryptCommand({ KeyId: keys.rsa.id, Plaintext: randomBytes(191), EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })), "ValidationException", () => "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes."],
  ["Encrypt: SYMMETRIC_DEFAULT with an RSA key", () => kms.send(new EncryptCommand({ KeyId: keys.rsa.id, Plaintext: Buffer.from("x") })), "InvalidKeyUsageException", () => "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."],
  ["Sign: an ECDSA algorithm with an Ed25519 key", () => kms.send(new SignCommand({ KeyId: keys.ed25519.id, Message: Buffer.from("m"), SigningAlgorithm: "ECDSA_SHA_512" })), "InvalidKeyUsageException", () => "Algorithm ECDSA_SHA_512 is incompatible with key spec ECC_NIST_EDWARDS25519."],
  ["Verify: an RSA algorithm with an ECC key", () => kms.send(new VerifyCommand({ KeyId: keys.ecc.id, Message: Buffer.from("m"), Signature: randomBytes(70), SigningAlgorithm: "RSASSA_PSS_SHA_256" })), "InvalidKeyUsageException", () => "Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec ECC_NIST_P256."],

  // --- Sign/Verify: message type and digest length ---
  ["Sign: a DIGEST of the wrong length", () => kms.send(new SignCommand({ KeyId: keys.ecc.id, Message: randomBytes(20), MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" })), "ValidationException", () => "Digest is invalid length for algorithm ECDSA_SHA_256."],
  ["Verify: a DIGEST of the wrong length", () => kms.send(new VerifyCommand({ KeyId: keys.rsaSign.id, Message: randomBytes(48), MessageType: "DIGEST", Signature: randomBytes(256), SigningAlgorithm: "RSASSA_PSS_SHA_256" })), "ValidationException", () => "Digest is invalid length for algorithm RSASSA_PSS_SHA_256."],
  ["Sign: ED25519_PH_SHA_512 with a short digest", () => kms.send(new SignCommand({ KeyId: keys.ed25519.id, Message: randomBytes(32), MessageType: "DIGEST", SigningAlgorithm: "ED25519_PH_SHA_512" })), "ValidationException", () => "Digest is invalid length for algorithm ED25519_PH_SHA_512."],
  ["Sign: DIGEST with an ML-DSA key", () => kms.send(new SignCommand({ KeyId: keys.mlDsa44.id, Message: randomBytes(64), MessageType: "DIGEST", SigningAlgorithm: "ML_DSA_SHAKE_256" })), "ValidationException", () => "Message type DIGEST is incompatible with key spec ML_DSA_44."],
  ["Sign: DIGEST with ED25519_SHA_512", () => kms.send(new SignCommand({ KeyId: keys.ed25519.id, Message: randomBytes(64), MessageType: "DIGEST", SigningAlgorithm: "ED25519_SHA_512" })), "ValidationException", () => "Message type DIGEST is incompatible with algorithm ED25519_SHA_512."],
  ["Verify: RAW with ED25519_PH_SHA_512", () => kms.send(new VerifyCommand({ KeyId: keys.ed25519.id, Message: Buffer.from("m"), MessageType: "RAW", Signature: randomBytes(64), SigningAlgorithm: "ED25519_PH_SHA_512" })), "ValidationException", () => "Message type RAW is incompatible with algorithm ED25519_PH_SHA_512."],

  // --- RotateKeyOnDemand: state before key spec ---
  ["RotateKeyOnDemand: disabled RSA key", () => kms.send(new RotateKeyOnDemandCommand({ KeyId: keys.disabledRsa.id })), "DisabledException", () => `${arnOf("disabledRsa")} is disabled.`],

  // --- Keyhold's wording where no AWS response is on record (README: what still differs) ---
  ["GenerateDataKey: RSA key", () => kms.send(new GenerateDataKeyCommand({ KeyId: keys.rsa.id, KeySpec: "AES_256" })), "InvalidKeyUsageException", () => `${arnOf("rsa")} key spec is RSA_2048 which is not valid for GenerateDataKey.`],

  ["GenerateMac: algorithm of another HMAC spec", () => kms.send(new GenerateMacCommand({ KeyId: keys.hmac224.id, Message: Buffer.from("m"), MacAlgorithm: "HMAC_SHA_256" })), "InvalidKeyUsageException", () => "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224."],
];

function accountOf(arn: string): string {
  return arn.split(":")[4]!;
}

describe("AWS KMS error texts through @aws-sdk/client-kms", () => {
  it.each(cases)("%s", async (_title, call, name, message) => {
    const e = await failure(call);
    expect({ name: e.name, message: e.message, status: e.status }).toEqual({ name, message: message(), status: 400 });
  });

  it("leaves the message out of the body when AWS sends none", async () => {
    const res = await send(server.endpoint, await signedRequest(server.endpoint, "Decrypt", { CiphertextBlob: notCiphertext(64).toString("base64") }, ADMIN_KEY));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "InvalidCiphertextException" });
  });

  it("answers a JSON value of the wrong type as AWS's JSON 1.1 deserializer does", async () => {
    const sym = keys.sym.id;
    const wrongTypes: [operation: string, body: unknown, message: string][] = [
      ["ListKeys", { Limit: "ten" }, "STRING_VALUE can not be converted to an Integer"],
      ["ListKeys", { Limit: true }, "TRUE_VALUE can not be converted to an Integer"],
      ["DescribeKey", { KeyId: 1 }, "NUMBER_VALUE can not be converted to a String"],
      ["DescribeKey", { KeyId: false }, "FALSE_VALUE can not be converted to a String"],
      ["CreateKey", { BypassPolicyLockoutSafetyCheck: "yes" }, "STRING_VALUE can not be converted to an Boolean"],
      ["DescribeKey", { KeyId: [sym] }, "Start of list found where not expected"],
      ["DescribeKey", { KeyId: { id: sym } }, "Start of structure or map found where not expected."],
      ["DescribeKey", [], "Start of list found where not expected"],
      ["Encrypt", { KeyId: sym, Plaintext: "eA==", GrantTokens: "token" }, "Expected list or null"],
    ];
    for (const [operation, body, message] of wrongTypes) {
      const res = await send(server.endpoint, await signedRequest(server.endpoint, operation, body, ADMIN_KEY));
      expect({ operation, status: res.status, body: res.body }).toEqual({ operation, status: 400, body: { __type: "SerializationException", message } });
    }
    const notJson = await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", "{not json", ADMIN_KEY));
    expect({ status: notJson.status, body: notJson.body }).toEqual({ status: 400, body: { __type: "SerializationException" } });
  });

  it("refuses a 51st alias for a key with AWS's quota text", async () => {
    const key = await createKey();
    const prefix = `alias/quota-${randomBytes(4).toString("hex")}`;
    for (let i = 0; i < 50; i++) await kms.send(new CreateAliasCommand({ AliasName: `${prefix}-${i}`, TargetKeyId: key.id }));
    const e = await failure(() => kms.send(new CreateAliasCommand({ AliasName: `${prefix}-50`, TargetKeyId: key.id })));
    expect(e).toEqual({ name: "LimitExceededException", message: "Aliases per key quota for this account in this region is 50, current usage is 50.", status: 400 });
  });

  it("changes nothing when a tag is refused", async () => {
    const before = (await kms.send(new DescribeKeyCommand({ KeyId: keys.sym2.id }))).KeyMetadata!;
    await failure(() => kms.send(new TagResourceCommand({ KeyId: keys.sym2.id, Tags: [{ TagKey: "ok", TagValue: "1" }, { TagKey: "aws:x", TagValue: "2" }] })));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: before.KeyId }))).Tags).toEqual([]);
  });
});
