// A few cells of the authorization matrix through the AWS-KMS API (SDK over
// HTTP, SigV4), plus key policies and grants end to end. The whole matrix
// through the API is tests/compat/authorization-matrix-api.test.ts.
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListGrantsCommand,
  PutKeyPolicyCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, makeApiUser, REGION, startApiServer, type TestServer } from "../compat/server";

let server: TestServer;
let admin: KMSClient;
const clients: KMSClient[] = [];
const clientFor = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
  const c = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
};
const errorName = (p: Promise<unknown>) => p.then(() => "ok", (e: Error) => e.name);

beforeAll(async () => {
  server = await startApiServer();
  admin = clientFor(ADMIN_KEY);
}, 90_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe("authorization through the API", () => {
  it("roles as identity policies, key policies and grants", async () => {
    const stamp = Date.now();
    const user = clientFor(makeApiUser(server, `pol-user-${stamp}`, "key-user"));
    const keyAdmin = clientFor(makeApiUser(server, `pol-kadmin-${stamp}`, "key-administrator"));
    const auditor = clientFor(makeApiUser(server, `pol-auditor-${stamp}`, "auditor"));
    const { KeyMetadata } = await admin.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const account = KeyMetadata!.AWSAccountId!;
    const plaintext = Buffer.from("api");

    // Matrix cells.
    expect(await errorName(user.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })))).toBe("ok");
    expect(await errorName(keyAdmin.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })))).toBe("AccessDeniedException");
    expect(await errorName(auditor.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })))).toBe("AccessDeniedException");
    expect(await errorName(auditor.send(new DescribeKeyCommand({ KeyId: keyId })))).toBe("ok");
    expect(await errorName(user.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })))).toBe("AccessDeniedException");
    expect(await errorName(user.send(new CreateKeyCommand({})))).toBe("AccessDeniedException");
    expect(await errorName(auditor.send(new GetKeyPolicyCommand({ KeyId: keyId })))).toBe("ok");

    // A key policy that denies the key user: the API enforces it, with AWS's message.
    const userArn = `arn:aws:iam::${account}:user/pol-user-${stamp}`;
    const { Policy } = await admin.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }));
    const doc = JSON.parse(Policy!);
    doc.Statement.push({ Sid: "DenyUser", Effect: "Deny", Principal: { AWS: userArn }, Action: "kms:Encrypt", Resource: "*" });
    await keyAdmin.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: "default", Policy: JSON.stringify(doc) }));
    const denied = await user.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })).catch((e: Error) => e);
    expect((denied as Error).name).toBe("AccessDeniedException");
    expect((denied as Error).message).toBe(
      `User: ${userArn} is not authorized to perform: kms:Encrypt on resource: ${KeyMetadata!.Arn} with an explicit deny in a resource-based policy`,
    );

    // Malformed policy.
    const malformed = await admin.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: "{}" })).catch((e: Error) => e);
    expect((malformed as Error).name).toBe("MalformedPolicyDocumentException");

    // Grants: an auditor (no crypto by role) gets Encrypt by grant; revoking takes it away.
    const auditorArn = `arn:aws:iam::${account}:user/pol-auditor-${stamp}`;
    const grant = await admin.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: auditorArn, Operations: ["Encrypt"] }));
    expect(grant.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(await errorName(auditor.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, GrantTokens: [grant.GrantToken!] })))).toBe("ok");
    const listed = await auditor.send(new ListGrantsCommand({ KeyId: keyId }));
    expect(listed.Grants!.map((g) => g.GrantId)).toContain(grant.GrantId);
    await keyAdmin.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: grant.GrantId! }));
    expect(await errorName(auditor.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })))).toBe("AccessDeniedException");
  });
});
