import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CiphertextError } from "../errors";
import { loadLocalKeyStore } from "./local";
import { materialAad } from "./material-aad";

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "keyhold-ks-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

describe("LocalKeyStore", () => {
  it("creates the root key file 0600 on first start and reuses it", async () => {
    const dir = path.join(tmp(), "data");
    const a = await loadLocalKeyStore({ dataDir: dir });
    const file = path.join(dir, "root-key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(file).size).toBe(32);
    const b = await loadLocalKeyStore({ dataDir: dir });
    expect(b.describe()).toEqual(a.describe());
    expect(a.describe()).toMatchObject({ kind: "local", source: "file", path: file });
    expect(String(a.describe().fingerprint)).toMatch(/^[0-9a-f]{16}$/);
    const wrapped = await a.wrap(Buffer.from("material"), materialAad(ID, 1, "SYMMETRIC_DEFAULT"));
    expect((await b.unwrap(wrapped, materialAad(ID, 1, "SYMMETRIC_DEFAULT"))).toString()).toBe("material");
    expect(fs.readdirSync(dir)).toEqual(["root-key"]); // no temp files left behind
  });

  it("refuses a root key file readable by group/others, naming the fix", async () => {
    const dir = tmp();
    const file = path.join(dir, "root-key");
    fs.writeFileSync(file, randomBytes(32), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    await expect(loadLocalKeyStore({ dataDir: dir })).rejects.toThrow(/root-key.*chmod 600/);
  });

  it("refuses a root key file of the wrong length", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "root-key"), randomBytes(31), { mode: 0o600 });
    await expect(loadLocalKeyStore({ dataDir: dir })).rejects.toThrow(/32 bytes/);
  });

  it("KEYHOLD_ROOT_KEY must be base64 of 32 bytes", async () => {
    const dir = tmp();
    await expect(loadLocalKeyStore({ dataDir: dir, rootKeyBase64: randomBytes(16).toString("base64") })).rejects.toThrow(/KEYHOLD_ROOT_KEY/);
    await expect(loadLocalKeyStore({ dataDir: dir, rootKeyBase64: "!!!not base64!!!" })).rejects.toThrow(/KEYHOLD_ROOT_KEY/);
    const secret = randomBytes(33).toString("base64");
    await expect(loadLocalKeyStore({ dataDir: dir, rootKeyBase64: secret })).rejects.not.toThrow(secret);
    const k = randomBytes(32).toString("base64");
    const ks = await loadLocalKeyStore({ dataDir: dir, rootKeyBase64: k });
    expect(ks.describe()).toMatchObject({ kind: "local", source: "env" });
    expect(JSON.stringify(ks.describe())).not.toContain(k);
    expect(fs.existsSync(path.join(dir, "root-key"))).toBe(false);
    const same = await loadLocalKeyStore({ dataDir: dir, rootKeyBase64: k });
    expect(same.describe().fingerprint).toBe(ks.describe().fingerprint);
  });

  it("unwrap fails with another key ID, version, spec, root key or changed byte", async () => {
    const ks = await loadLocalKeyStore({ dataDir: tmp() });
    const material = randomBytes(32);
    const aad = materialAad(ID, 2, "SYMMETRIC_DEFAULT");
    const blob = await ks.wrap(material, aad);
    expect((await ks.unwrap(blob, aad)).equals(material)).toBe(true);
    for (const other of [
      materialAad("1234abcd-12ab-34cd-56ef-1234567890ac", 2, "SYMMETRIC_DEFAULT"),
      materialAad(ID, 3, "SYMMETRIC_DEFAULT"),
      materialAad(ID, 2, "HMAC_256"),
    ]) {
      await expect(ks.unwrap(blob, other)).rejects.toBeInstanceOf(CiphertextError);
    }
    const other = await loadLocalKeyStore({ dataDir: tmp() });
    await expect(other.unwrap(blob, aad)).rejects.toBeInstanceOf(CiphertextError);
    for (let i = 0; i < blob.length; i++) {
      const b = Buffer.from(blob);
      b[i] ^= 1;
      await expect(ks.unwrap(b, aad)).rejects.toBeInstanceOf(CiphertextError);
    }
    await expect(ks.unwrap(Buffer.alloc(0), aad)).rejects.toBeInstanceOf(CiphertextError);
  });
});
