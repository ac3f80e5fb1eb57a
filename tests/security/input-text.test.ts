// Untrusted text and maps from the wire: every map key survives ("__proto__"
// included: it is bound to ciphertexts and grant constraints), and NUL or lone
// surrogates are refused with ValidationException, never stored raw; a sign-in
// attempt recorded with such a name keeps the timeline searchable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAuditEvent } from "@/lib/audit";
import { queryAuditEvents } from "@/lib/audit/query";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser, operator, uniqueName } from "../helpers";
import { accessKeyFor, apiCall, startInProcessApi, type InProcessApi } from "./api-server";

let api: InProcessApi;
let creds: { accessKeyId: string; secretAccessKey: string };
let granteeCreds: { accessKeyId: string; secretAccessKey: string };
let grantee: Principal;
let keyId: string;

beforeAll(async () => {
  api = await startInProcessApi();
  const { principal: admin } = await makeUser("ADMINISTRATOR");
  creds = await accessKeyFor(admin);
  grantee = (await makeUser(null)).principal;
  granteeCreds = await accessKeyFor(grantee);
  const out = (await invokeKms("CreateKey", await operator(), {}, { source: "cli" })) as { KeyMetadata: { KeyId: string } };
  keyId = out.KeyMetadata.KeyId;
});
afterAll(async () => {
  await api?.close();
});

describe("map keys named __proto__", () => {
  it("are bound to the ciphertext: decrypting without the key fails, with it succeeds", async () => {
    const enc = await apiCall(api, creds, "Encrypt", `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"__proto__":"x","a":"b"}}`);
    expect(enc.status).toBe(200);
    const blob = enc.body.CiphertextBlob as string;
    const without = await apiCall(api, creds, "Decrypt", `{"CiphertextBlob":"${blob}","EncryptionContext":{"a":"b"}}`);
    expect(without.body.__type).toBe("InvalidCiphertextException");
    const withIt = await apiCall(api, creds, "Decrypt", `{"CiphertextBlob":"${blob}","EncryptionContext":{"a":"b","__proto__":"x"}}`);
    expect(withIt.status).toBe(200);
    expect(withIt.body.Plaintext).toBe("aGk=");
  });

  it("are kept in a grant constraint, stored and enforced", async () => {
    const g = await apiCall(
      api,
      creds,
      "CreateGrant",
      `{"KeyId":"${keyId}","GranteePrincipal":"${grantee.arn}","Operations":["Encrypt"],"Constraints":{"EncryptionContextEquals":{"__proto__":"x"}}}`,
    );
    expect(g.status).toBe(200);
    const row = await prisma.kmsGrant.findUniqueOrThrow({ where: { id: g.body.GrantId as string } });
    expect(JSON.stringify(row.constraints)).toBe(`{"EncryptionContextEquals":{"__proto__":"x"}}`);
    const listed = await apiCall(api, creds, "ListGrants", `{"KeyId":"${keyId}","GrantId":"${g.body.GrantId as string}"}`);
    expect(JSON.stringify((listed.body.Grants as Array<{ Constraints: unknown }>)[0]!.Constraints)).toBe(`{"EncryptionContextEquals":{"__proto__":"x"}}`);
    // Enforced: only the exact context.
    const ok = await apiCall(api, granteeCreds, "Encrypt", `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"__proto__":"x"}}`);
    expect(ok.status).toBe(200);
    const other = await apiCall(api, granteeCreds, "Encrypt", `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"a":"x"}}`);
    expect(other.body.__type).toBe("AccessDeniedException");
    const none = await apiCall(api, granteeCreds, "Encrypt", `{"KeyId":"${keyId}","Plaintext":"aGk="}`);
    expect(none.body.__type).toBe("AccessDeniedException");
  });

  it("are kept when the console or CLI calls the key service (zod would drop them)", async () => {
    const input = JSON.parse(`{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"__proto__":"x"}}`) as Record<string, unknown>;
    const enc = (await invokeKms("Encrypt", await operator(), { ...input, Plaintext: Buffer.from("hi") }, { source: "console" })) as { CiphertextBlob: Uint8Array };
    const r = await invokeKms("Decrypt", await operator(), { CiphertextBlob: enc.CiphertextBlob }, { source: "console" }).then(
      () => "ok",
      (e: Error) => e.name,
    );
    expect(r).toBe("InvalidCiphertextException");
  });
});

describe("NUL and lone surrogates", () => {
  it("in any string of an API request: 400 ValidationException", async () => {
    for (const body of [
      `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"a":"b\\u0000c"}}`,
      `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"a\\u0000":"b"}}`,
      `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"a":"\\ud800"}}`,
    ]) {
      const r = await apiCall(api, creds, "Encrypt", body);
      expect(r.status).toBe(400);
      expect(r.body.__type).toBe("ValidationException");
    }
    const d = await apiCall(api, creds, "UpdateKeyDescription", `{"KeyId":"${keyId}","Description":"x\\u0000y"}`);
    expect([d.status, d.body.__type]).toEqual([400, "ValidationException"]);
  });

  it("in a console or CLI call: ValidationException", async () => {
    const r = await invokeKms("UpdateKeyDescription", await operator(), { KeyId: keyId, Description: "x\u0000y" }, { source: "console" }).then(
      () => "ok",
      (e: Error) => e.name,
    );
    expect(r).toBe("ValidationException");
  });

  it("in a sign-in username is recorded escaped, and the timeline stays searchable by username", async () => {
    const name = uniqueName("nul");
    const from = new Date(Date.now() - 1000);
    await writeAuditEvent({
      eventSource: "signin.amazonaws.com",
      eventName: "ConsoleLogin",
      eventType: "AwsConsoleSignIn",
      via: "console",
      readOnly: false,
      claimedIdentity: `${name}\u0000\ud800`,
      error: { name: "AuthenticationFailed", message: "Incorrect username or password." },
    });
    const { principal: auditor } = await makeUser("AUDITOR");
    const page = await queryAuditEvents(auditor, { principal: name, from });
    expect(page.events.map((e) => e.record.userIdentity.userName)).toEqual([`${name}\\u0000\\ud800`]);
    const other = await queryAuditEvents(auditor, { principal: "someone-else", from });
    expect(other.events).toEqual([]);
    // A search that itself carries a NUL is refused, not a 500.
    const bad = await queryAuditEvents(auditor, { principal: `${name}\u0000` }).then(
      () => "ok",
      (e: Error) => e.name,
    );
    expect(bad).toBe("ValidationException");
  });
});
