// Shamir-sealed root key with a real API server, the real keyhold CLI and the real AWS SDK:
// init splits the existing root key → the server starts sealed (the API answers the sealed error,
// /readyz says sealed) → custodians unseal over the CLI (refusals change nothing) → keys work →
// seal now → rekey. Shares are registered as secrets: the end-of-run scan checks no audit record has one.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSecret } from "../secret-registry";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

const dbName = `${new URL(process.env.DATABASE_URL ?? "postgresql://x/keyhold").pathname.slice(1)}_shamir_${process.pid}`;
let databaseUrl: string | undefined;
const dataDir = mkdtempSync(join(tmpdir(), "keyhold-shamir-"));
let server: TestServer | undefined;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin(`CREATE DATABASE "${dbName}"`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
});
afterAll(async () => {
  await server?.stop({ keepDataDir: true });
  rmSync(dataDir, { recursive: true, force: true });
  if (databaseUrl) await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
});

// The same data folder and database across restarts (embedded PGlite when the run has no PostgreSQL).
const start = (sealed: boolean) => startApiServer({ dataDir, databaseUrl, embedded: !databaseUrl, sealed });
const kmsOf = (s: TestServer) => new KMSClient({ endpoint: s.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
const json = <T>(r: { status: number | null; stdout: string; stderr: string }): T => {
  if (r.status !== 0) throw new Error(`keyhold exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};
const unseal = (s: TestServer, share: string) => s.cli(["unseal"], `${share}\n`);

describe("Shamir-sealed root key", { timeout: 300_000 }, () => {
  let keyId: string;
  let ciphertext: Uint8Array;
  let shares: string[];

  it("init splits the existing root key into shares and keeps only a verifier", async () => {
    server = await start(false);
    const kms = kmsOf(server);
    keyId = (await kms.send(new CreateKeyCommand({ Description: "before sealing" }))).KeyMetadata!.KeyId!;
    ciphertext = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("sealed secret") }))).CiphertextBlob!;
    kms.destroy();
    await server.stop({ keepDataDir: true });
    const rootKeyFile = join(dataDir, "root-key");
    const rootKey = readFileSync(rootKeyFile);
    const refused = server.cli(["init", "--custodians", "3", "--threshold", "1"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/ValidationException: init needs --custodians N --threshold M with 2 ≤ M ≤ N ≤ 255/);
    const init = json<{ threshold: number; custodians: number; shares: string[] }>(server.cli(["init", "--custodians", "3", "--threshold", "2", "--json"]));
    shares = init.shares;
    shares.forEach((s, i) => recordSecret(s, `shamir share ${i + 1}`));
    expect(init).toMatchObject({ threshold: 2, custodians: 3 });
    expect(new Set(shares).size).toBe(3);
    expect(existsSync(rootKeyFile)).toBe(false);
    const record = readFileSync(join(dataDir, "root-key-store.json"), "utf8");
    expect(statSync(join(dataDir, "root-key-store.json")).mode & 0o777).toBe(0o600);
    expect(JSON.parse(record)).toMatchObject({ kind: "shamir", shamir: { threshold: 2, custodians: 3 } });
    for (const form of ["hex", "base64"] as const) expect(record).not.toContain(rootKey.toString(form));
    expect(server.cli(["init", "--custodians", "3", "--threshold", "2"]).stderr).toMatch(/already uses the shamir root key store/);
  });

  it("starts sealed: /readyz says so and the API answers the sealed error through the AWS SDK", async () => {
    server = await start(true);
    const ready = await fetch(`${server.endpoint}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "sealed", rootKey: { kind: "shamir", sealed: true, entered: 0, threshold: 2 } });
    const kms = kmsOf(server);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }))).rejects.toMatchObject({
      name: "DependencyTimeoutException",
      message: expect.stringMatching(/^Keyhold is sealed: 0 of 2 unseal shares entered/),
    });
    kms.destroy();
    const status = server.cli(["root-key", "status"]);
    expect(status.stdout).toMatch(/Sealed: 0 of 2 unseal shares entered \(3 custodians\)/);
  });

  it("refuses a foreign, a mistyped and a duplicate share over the CLI; M−1 shares do not unseal", async () => {
    const s = server!;
    const foreign = await startForeignShare();
    const r1 = unseal(s, foreign);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toMatch(/ValidationException: That share belongs to another root key/);
    const typo = shares[0].slice(0, -2) + (shares[0].endsWith("AA") ? "BB" : "AA");
    expect(unseal(s, typo).stderr).toMatch(/not a Keyhold unseal share/);
    expect(unseal(s, shares[0]).stdout).toMatch(/Sealed: 1 of 2 unseal shares entered/);
    const dup = unseal(s, shares[0]);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/That share was already entered \(1 of 2 entered\)/);
    const kms = kmsOf(s);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }))).rejects.toThrow(/Keyhold is sealed: 1 of 2/);
    kms.destroy();
  });

  it("unseals with the M-th share: the key made before sealing decrypts and new keys work", async () => {
    const s = server!;
    expect(unseal(s, shares[2]).stdout).toMatch(/^Unsealed/);
    expect((await fetch(`${s.endpoint}/readyz`)).status).toBe(200);
    const kms = kmsOf(s);
    const plain = (await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }))).Plaintext!;
    expect(Buffer.from(plain).toString()).toBe("sealed secret");
    const fresh = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ct = (await kms.send(new EncryptCommand({ KeyId: fresh, Plaintext: Buffer.from("after") }))).CiphertextBlob!;
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!).toString()).toBe("after");
    kms.destroy();
    expect(unseal(s, shares[1]).stderr).toMatch(/already unsealed/);
  });

  it("seal now drops the root key; rekey gives new shares for the same key and retires the old ones", async () => {
    const s = server!;
    const rekey = json<{ shares: string[]; threshold: number; custodians: number }>(s.cli(["root-key", "rekey", "--custodians", "4", "--threshold", "3", "--json"]));
    rekey.shares.forEach((x, i) => recordSecret(x, `shamir rekeyed share ${i + 1}`));
    expect(rekey).toMatchObject({ threshold: 3, custodians: 4 });
    expect(s.cli(["root-key", "seal"]).stdout).toMatch(/Sealed: 0 of 3/);
    const kms = kmsOf(s);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }))).rejects.toThrow(/Keyhold is sealed: 0 of 3/);
    expect(unseal(s, shares[0]).stderr).toMatch(/earlier split of this root key, replaced by a rekey/);
    for (const x of rekey.shares.slice(0, 2)) expect(unseal(s, x).status).toBe(0);
    expect(unseal(s, rekey.shares[3]).stdout).toMatch(/^Unsealed/);
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }))).Plaintext!).toString()).toBe("sealed secret");
    kms.destroy();
    // The rekeyed custody survives a restart.
    expect(JSON.parse(readFileSync(join(dataDir, "root-key-store.json"), "utf8"))).toMatchObject({ shamir: { threshold: 3, custodians: 4 } });
  });

  it("records every unseal attempt, seal and rekey in the audit trail, never a share", async () => {
    if (!databaseUrl) return; // embedded: the end-of-run scan reads the server's records
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      const stored = await c.query<{ eventName: string; errorCode: string | null; eventId: string; record: string | null; body: Uint8Array | null }>(
        `SELECT "eventName", "errorCode", "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE "eventName" IN ('InitRootKeyCustody','UnsealRootKey','SealRootKey','RekeyRootKey') ORDER BY "chainId", "chainSeq"`,
      );
      const rows = stored.rows.map((r) => ({ ...r, record: decodeRecord(r) }));
      const names = rows.map((r) => `${r.eventName}:${r.errorCode ?? "ok"}`);
      expect(names.filter((n) => n.startsWith("UnsealRootKey:ValidationException")).length).toBeGreaterThanOrEqual(5);
      expect(names).toContain("InitRootKeyCustody:ok");
      expect(names).toContain("SealRootKey:ok");
      expect(names).toContain("RekeyRootKey:ok");
      expect(names.filter((n) => n === "UnsealRootKey:ok").length).toBe(5); // 2 shares, then 3 after the rekey
      for (const r of rows) for (const sh of shares) expect(r.record).not.toContain(sh.slice(5, 25));
    } finally {
      await c.end();
    }
  });
});

/** A well-formed share of some other root key (another Keyhold's). */
async function startForeignShare(): Promise<string> {
  const { splitRootKey } = await import("@/lib/crypto/keystore/shamir-shares");
  const { randomBytes } = await import("node:crypto");
  return (await splitRootKey(randomBytes(32), 2, 2)).shares[0];
}
