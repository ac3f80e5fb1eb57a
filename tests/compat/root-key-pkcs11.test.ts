// The pkcs11 root key store with a real API server, the AWS SDK and a SoftHSM2 token of this test's
// own: keys work, the token's root key is non-extractable (pkcs11-tool), nothing in the data folder
// or the database is the root key (key material rows are HSM-wrapped), a restart keeps the kind.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSoftHsmToken, listTokenObjects, softHsmAvailable, type SoftHsmToken } from "../support/softhsm-root";
import { recordSecret } from "../secret-registry";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";

describe.skipIf(!softHsmAvailable() || !process.env.DATABASE_URL)("pkcs11 root key (SoftHSM2)", { timeout: 240_000 }, () => {
  let token: SoftHsmToken;
  let server: TestServer;
  let env: Record<string, string>;
  const dbName = `${new URL(process.env.DATABASE_URL ?? "postgresql://x/k").pathname.slice(1)}_pkcs11_${process.pid}`;
  const databaseUrl = (() => {
    const u = new URL(process.env.DATABASE_URL ?? "postgresql://x/k");
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const sql = async (text: string, url = process.env.DATABASE_URL) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text)).rows as Array<Record<string, unknown>>;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    token = createSoftHsmToken();
    recordSecret(token.pin, "softhsm user pin");
    const pinFile = join(token.dir, "pin");
    writeFileSync(pinFile, `${token.pin}\n`, { mode: 0o600 });
    env = { SOFTHSM2_CONF: token.conf, KEYHOLD_ROOT_KEY_STORE: "pkcs11", KEYHOLD_PKCS11_TOKEN_LABEL: token.tokenLabel, KEYHOLD_PKCS11_PIN_FILE: pinFile };
    await sql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await sql(`CREATE DATABASE "${dbName}"`);
  });
  afterAll(async () => {
    await server?.stop();
    await sql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    token?.remove();
  });

  it("serves keys with the root key inside the token, which never leaves it", async () => {
    server = await startApiServer({ databaseUrl, env });
    const kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ct = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("in the hsm") }))).CiphertextBlob!;
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!).toString()).toBe("in the hsm");
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256" }));
    recordSecret(dk.Plaintext, "pkcs11 data key");
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }))).Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
    kms.destroy();

    const objects = listTokenObjects(token);
    expect(objects).toMatch(/Secret Key Object; AES length 32\s+label:\s+keyhold-root-key/);
    expect(objects).toMatch(/Access:\s+sensitive, always sensitive, never extractable/);
    // No root key file; the data folder records only the kind and labels.
    expect(readdirSync(server.dataDir)).not.toContain("root-key");
    const record = JSON.parse(readFileSync(join(server.dataDir, "root-key-store.json"), "utf8")) as Record<string, unknown>;
    expect(record).toMatchObject({ kind: "pkcs11", pkcs11: { tokenLabel: token.tokenLabel, keyLabel: "keyhold-root-key" } });
    expect(JSON.stringify(record)).not.toContain(token.pin);
    // Every wrapped row in the database is in the HSM's format (0x02), none in the local one.
    const rows = await sql(
      `SELECT substr(wrapped,1,1) AS f FROM "KeyMaterial" UNION ALL SELECT substr(wrapped,1,1) FROM "AuditSigningKey" UNION ALL SELECT substr("secretWrapped",1,1) FROM "AccessKey"`,
      databaseUrl,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => (r.f as Buffer).toString("hex")))).toEqual(new Set(["02"]));

    // A restart uses the recorded kind, even without KEYHOLD_ROOT_KEY_STORE, and the same HSM key.
    await server.stop({ keepDataDir: true });
    const { KEYHOLD_ROOT_KEY_STORE: _kind, ...withoutKind } = env;
    void _kind;
    server = await startApiServer({ dataDir: server.dataDir, databaseUrl, env: withoutKind });
    const again = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    expect(Buffer.from((await again.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!).toString()).toBe("in the hsm");
    again.destroy();
    await server.stop({ keepDataDir: true });
    // Asking for another kind than the recorded one is refused with the way forward.
    await expect(startApiServer({ dataDir: server.dataDir, databaseUrl, env: { ...env, KEYHOLD_ROOT_KEY_STORE: "local" } })).rejects.toThrow(
      /uses the pkcs11 root key store, not local \(KEYHOLD_ROOT_KEY_STORE\): move it with `keyhold root-key migrate --to local`/,
    );
  });
});
