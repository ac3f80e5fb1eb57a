// `keyhold root-key migrate`: local → shamir → pkcs11 (SoftHSM2) → local with a real server, the CLI
// and the AWS SDK; every key and ciphertext survives, and a migration killed with SIGKILL mid-way
// leaves each row readable by the old or the new store, refuses to serve, and resumes when rerun.
// A request held for approval (its secret input sealed by the root key) is re-wrapped with the rest.
// Under an approval rule the CLI refuses to migrate without `--approval` of an approved request for
// the same target, made and approved by administrators (host-approval.mjs), and uses it once.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GetParametersForImportCommand, ImportKeyMaterialCommand, KMSClient } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";
import { wrapForImport } from "../kms/lifecycle/import-wrap";
import { recordSecret } from "../secret-registry";
import { createSoftHsmToken, softHsmAvailable, type SoftHsmToken } from "../support/softhsm-root";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";

const KEYS = 120;

describe.skipIf(!softHsmAvailable() || !process.env.DATABASE_URL)("root key migration", { timeout: 600_000 }, () => {
  const dbName = `${new URL(process.env.DATABASE_URL ?? "postgresql://x/k").pathname.slice(1)}_migrate_${process.pid}`;
  const url = new URL(process.env.DATABASE_URL ?? "postgresql://x/k");
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const dataDir = mkdtempSync(join(tmpdir(), "keyhold-migrate-"));
  let token: SoftHsmToken;
  let env: Record<string, string>;
  let server: TestServer | undefined;
  const ciphertexts: Array<{ ct: Uint8Array; plain: string }> = [];

  const sql = async (text: string, db = process.env.DATABASE_URL) => {
    const c = new pg.Client({ connectionString: db });
    await c.connect();
    try {
      return (await c.query(text)).rows as Array<Record<string, unknown>>;
    } finally {
      await c.end();
    }
  };
  const cliEnv = () => ({ ...process.env, ...env, KEYHOLD_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" });
  const cli = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, ["bin/keyhold.mjs", ...args], { env: cliEnv(), input, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`keyhold ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { from: string; to: string; rewrapped: Record<string, number>; alreadyMigrated: number; verified: number; shares?: string[] };
  };
  const cliRaw = (args: string[], input?: string) => spawnSync(process.execPath, ["bin/keyhold.mjs", ...args], { env: cliEnv(), input, encoding: "utf8" });
  const start = async (sealed = false) => (server = await startApiServer({ dataDir, databaseUrl, env, sealed }));
  const stop = async () => server?.stop({ keepDataDir: true });
  const custodyKind = () => (JSON.parse(readFileSync(join(dataDir, "root-key-store.json"), "utf8")) as { kind: string }).kind;
  async function expectAllDecrypt(s: TestServer) {
    const kms = new KMSClient({ endpoint: s.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    for (const { ct, plain } of ciphertexts) {
      expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!).toString()).toBe(plain);
    }
    kms.destroy();
  }

  beforeAll(async () => {
    token = createSoftHsmToken();
    recordSecret(token.pin, "softhsm user pin");
    const pinFile = join(token.dir, "pin");
    writeFileSync(pinFile, token.pin, { mode: 0o600 });
    env = { SOFTHSM2_CONF: token.conf, KEYHOLD_PKCS11_TOKEN_LABEL: token.tokenLabel, KEYHOLD_PKCS11_PIN_FILE: pinFile };
    await sql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await sql(`CREATE DATABASE "${dbName}"`);
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
    await sql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    token?.remove();
  });

  it("local → shamir: a new root key, custodians' shares, every ciphertext intact", async () => {
    const s = await start();
    const kms = new KMSClient({ endpoint: s.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
    for (let i = 0; i < KEYS; i++) {
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      if (i % 20 === 0) ciphertexts.push({ plain: `secret ${i}`, ct: (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(`secret ${i}`) }))).CiphertextBlob! });
    }
    // An import held for approval keeps its token and wrapped material sealed by the root key: migrated too.
    expect(s.cli(["user", "create", "--username", `approver-${process.pid}`, "--role", "administrator"]).status).toBe(0);
    expect(s.cli(["approvals", "require", "--operation", "ImportKeyMaterial", "--approvals", "1"]).status).toBe(0);
    const external = (await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }))).KeyMetadata!.KeyId!;
    const params = await kms.send(new GetParametersForImportCommand({ KeyId: external, WrappingAlgorithm: "RSA_AES_KEY_WRAP_SHA_256", WrappingKeySpec: "RSA_2048" }));
    const material = randomBytes(32);
    recordSecret(material, "held import material");
    const held = await kms
      .send(new ImportKeyMaterialCommand({ KeyId: external, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapForImport(params.PublicKey!, "RSA_AES_KEY_WRAP_SHA_256", material), ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" }))
      .catch((e: Error) => e);
    expect((held as Error).message).toMatch(/Approval request [0-9a-f-]{36} was created/);
    kms.destroy();
    // Root key migration under quorum: one approval from an administrator other than the requester.
    const password = "compat approver password 31";
    recordSecret(password, "compat approver password");
    const [alice, bob] = [`alice-${process.pid}`, `bob-${process.pid}`];
    for (const u of [alice, bob]) expect(s.cli(["user", "create", "--username", u, "--role", "administrator", "--password-stdin"], password).status).toBe(0);
    expect(s.cli(["approvals", "require", "--operation", "MigrateRootKey", "--approvals", "1"]).status).toBe(0);
    await stop();
    const target = ["--to", "shamir", "--custodians", "3", "--threshold", "2"];
    const refused = cliRaw(["root-key", "migrate", ...target, "--json"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("AccessDeniedException: MigrateRootKey requires 1 approval(s) from role ADMINISTRATOR");
    const approve = spawnSync(process.execPath, ["tests/compat/host-approval.mjs", alice, bob, "MigrateRootKey", JSON.stringify({ to: "shamir", custodians: 3, threshold: 2 })], { env: cliEnv(), input: password, encoding: "utf8" });
    expect(approve.status, approve.stderr).toBe(0);
    const approvalId = approve.stdout.trim();
    const wrongTarget = cliRaw(["root-key", "migrate", "--to", "shamir", "--custodians", "4", "--threshold", "2", "--approval", approvalId]);
    expect(wrongTarget.stderr).toContain(`Approval request ${approvalId} approved migration to shamir (any 2 of 3 custodians), not migration to shamir (any 2 of 4 custodians).`);
    const before = readFileSync(join(dataDir, "root-key"));
    const r = cli(["root-key", "migrate", ...target, "--approval", approvalId, "--json"]);
    const again = cliRaw(["root-key", "migrate", ...target, "--approval", approvalId]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`AccessDeniedException: Approval request ${approvalId} was already used: an approval runs its change once.`);
    const listed = JSON.parse(cliRaw(["approvals", "list", "--json"]).stdout) as Array<{ id: string; status: string }>;
    expect(listed.find((x) => x.id === approvalId)?.status).toBe("executed");
    const completed = (await sql(`SELECT "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE "eventName" = 'MigrateRootKey' AND "errorCode" IS NULL ORDER BY id`, databaseUrl)).map((row) => JSON.parse(decodeRecord(row as { eventId: string; record: string | null; body: Uint8Array | null })) as { additionalEventData?: { approval?: unknown } });
    for (const e of completed) expect(e.additionalEventData?.approval).toEqual({ requestId: approvalId, approvers: [bob] });
    expect(cliRaw(["approvals", "require", "--operation", "MigrateRootKey", "--off"]).status).toBe(0); // the next migrations run without approval
    r.shares!.forEach((x, i) => recordSecret(x, `migrated share ${i}`));
    expect(r).toMatchObject({ from: "local", to: "shamir", alreadyMigrated: 0 });
    expect(r.rewrapped.KeyMaterial).toBe(KEYS);
    expect(r.rewrapped.AccessKey).toBe(1);
    expect(r.rewrapped.AuditSigningKey).toBeGreaterThanOrEqual(1);
    expect(r.rewrapped.ApprovalRequest).toBe(1);
    expect(r.verified).toBe(Object.values(r.rewrapped).reduce((a, b) => a + b, 0));
    expect(custodyKind()).toBe("shamir");
    expect(existsSync(join(dataDir, "root-key"))).toBe(false);
    expect(existsSync(join(dataDir, "root-key.next"))).toBe(false);
    const rows = await sql(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "eventName" = 'MigrateRootKey' AND "errorCode" IS NULL`, databaseUrl);
    expect(rows[0].n).toBe(2); // started, completed
    for (const f of ["hex", "base64"] as const) expect(JSON.stringify(await sql(`SELECT * FROM "KeyMaterial"`, databaseUrl))).not.toContain(before.toString(f));
    const s2 = await start(true);
    for (const share of r.shares!.slice(1)) expect(s2.cli(["unseal"], `${share}\n`).status).toBe(0);
    await expectAllDecrypt(s2);
    await stop();
    shares = r.shares!;
  });
  let shares: string[] = [];

  it("shamir → pkcs11, killed with SIGKILL mid-way: refuses to serve, resumes, keys intact", async () => {
    const hsmRows = async () => Number((await sql(`SELECT count(*) FILTER (WHERE get_byte(wrapped, 0) = 2)::int AS n FROM "KeyMaterial"`, databaseUrl))[0].n);
    const child = spawn(process.execPath, ["bin/keyhold.mjs", "root-key", "migrate", "--to", "pkcs11", "--unseal-shares-stdin", "--json"], { env: cliEnv(), stdio: ["pipe", "ignore", "ignore"] });
    child.stdin.end(`${shares[0]}\n${shares[2]}\n`);
    const exited = new Promise((r) => child.once("exit", r));
    while ((await hsmRows()) === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await exited;
    const migrated = await hsmRows();
    // The kill must have landed mid-way, or this test proves nothing.
    expect(migrated).toBeGreaterThan(0);
    expect(migrated).toBeLessThan(KEYS);
    expect(custodyKind()).toBe("shamir");
    await expect(start(true)).rejects.toThrow(/a root key migration to pkcs11 was interrupted: finish it with `keyhold root-key migrate --to pkcs11`/);
    server = undefined;
    const r = cli(["root-key", "migrate", "--to", "pkcs11", "--unseal-shares-stdin", "--json"], `${shares[1]}\n${shares[2]}\n`);
    expect(r.alreadyMigrated).toBeGreaterThanOrEqual(migrated);
    expect(r.rewrapped.KeyMaterial ?? 0).toBe(KEYS - migrated);
    expect(custodyKind()).toBe("pkcs11");
    expect(await hsmRows()).toBe(KEYS);
    await expectAllDecrypt(await start());
    await stop();
  });

  it("pkcs11 → local: back to a key file, keys intact", async () => {
    const r = cli(["root-key", "migrate", "--to", "local", "--json"]);
    expect(r).toMatchObject({ from: "pkcs11", to: "local", alreadyMigrated: 0 });
    expect(custodyKind()).toBe("local");
    expect(existsSync(join(dataDir, "root-key"))).toBe(true);
    await expectAllDecrypt(await start());
    await stop();
  });
});
