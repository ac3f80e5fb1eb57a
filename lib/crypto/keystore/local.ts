// The local key store: a 256-bit root key from KEYHOLD_ROOT_KEY or from <dataDir>/root-key
// (created 0600 on first start). Wrapped blob = 0x01 | IV (12) | ciphertext | tag (16).
import { createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { aesGcmOpen, aesGcmSeal, AES_KEY_BYTES, GCM_IV_BYTES, GCM_TAG_BYTES } from "../aes-gcm";
import { CiphertextError } from "../errors";
import type { KeyStore, KeyStoreDescription } from "./types";

const WRAP_FORMAT_V1 = 0x01;
export const ROOT_KEY_FILE = "root-key";

export class LocalKeyStore implements KeyStore {
  readonly kind = "local";
  readonly #key: KeyObject;
  readonly #description: KeyStoreDescription;

  /** Copies `rootKey` into a KeyObject; the caller should wipe its buffer afterwards. */
  constructor(rootKey: Uint8Array, source: { source: "env" | "file"; path?: string } = { source: "env" }) {
    if (rootKey.length !== AES_KEY_BYTES) throw new Error("root key must be 32 bytes");
    this.#key = createSecretKey(rootKey);
    // A fingerprint lets operators check two instances share a root key without revealing it.
    const fingerprint = createHmac("sha256", this.#key).update("keyhold key check").digest().subarray(0, 8).toString("hex");
    this.#description = { kind: "local", source: source.source, ...(source.path ? { path: source.path } : {}), fingerprint };
  }

  async wrap(material: Buffer, aad: Buffer): Promise<Buffer> {
    const iv = randomBytes(GCM_IV_BYTES);
    const { ciphertext, tag } = aesGcmSeal(this.#key, iv, material, aad);
    return Buffer.concat([Buffer.from([WRAP_FORMAT_V1]), iv, ciphertext, tag]);
  }

  async unwrap(blob: Buffer, aad: Buffer): Promise<Buffer> {
    if (!(blob instanceof Uint8Array) || blob.length < 1 + GCM_IV_BYTES + GCM_TAG_BYTES || blob[0] !== WRAP_FORMAT_V1) {
      throw new CiphertextError("wrapped key material is malformed");
    }
    return aesGcmOpen(
      this.#key,
      blob.subarray(1, 1 + GCM_IV_BYTES),
      blob.subarray(1 + GCM_IV_BYTES, blob.length - GCM_TAG_BYTES),
      blob.subarray(blob.length - GCM_TAG_BYTES),
      aad,
    );
  }

  describe(): KeyStoreDescription {
    return { ...this.#description };
  }
}

export interface LocalKeyStoreOptions {
  /** Data folder (e.g. `.keyhold`); the root key file lives at `<dataDir>/root-key`. */
  dataDir: string;
  /** Value of KEYHOLD_ROOT_KEY, if set: base64 of exactly 32 bytes. Takes precedence over the file. */
  rootKeyBase64?: string;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeEnvKey(value: string): Buffer {
  const v = value.trim();
  // Buffer.from(…, "base64") silently skips bad characters, so validate the alphabet first.
  const key = BASE64_RE.test(v) ? Buffer.from(v, "base64") : undefined;
  if (!key || key.length !== AES_KEY_BYTES) {
    const got = key ? `${key.length} bytes` : "not valid base64";
    key?.fill(0);
    throw new Error(
      `KEYHOLD_ROOT_KEY must be the base64 encoding of exactly 32 bytes (got ${got}); ` +
        "generate one with `openssl rand -base64 32`",
    );
  }
  return key;
}

function readKeyFile(file: string): Buffer {
  const st = fs.statSync(file);
  if (!st.isFile()) throw new Error(`root key file ${file} is not a regular file`);
  if ((st.mode & 0o077) !== 0) {
    throw new Error(
      `root key file ${file} is accessible by group or others (mode ${(st.mode & 0o777).toString(8)}); ` +
        `restrict it with \`chmod 600 ${file}\` and restart`,
    );
  }
  const key = fs.readFileSync(file);
  if (key.length !== AES_KEY_BYTES) {
    key.fill(0);
    throw new Error(`root key file ${file} must contain exactly 32 bytes (found ${st.size}); restore it from backup`);
  }
  return key;
}

/**
 * Creates the key file atomically: write a private temp file, then link() it into place, which
 * fails if another process won the race (so nobody ever reads a half-written key).
 * Returns false if the file already existed.
 */
function createKeyFile(dir: string, file: string): boolean {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${ROOT_KEY_FILE}.${process.pid}.${randomBytes(6).toString("hex")}`);
  const key = randomBytes(AES_KEY_BYTES);
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, key);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
    key.fill(0);
  }
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export async function loadLocalKeyStore(opts: LocalKeyStoreOptions): Promise<LocalKeyStore> {
  if (opts.rootKeyBase64 !== undefined && opts.rootKeyBase64 !== "") {
    const key = decodeEnvKey(opts.rootKeyBase64);
    try {
      return new LocalKeyStore(key, { source: "env" });
    } finally {
      key.fill(0);
    }
  }
  const dir = path.resolve(opts.dataDir);
  const file = path.join(dir, ROOT_KEY_FILE);
  if (!fs.existsSync(file)) createKeyFile(dir, file);
  const key = readKeyFile(file);
  try {
    return new LocalKeyStore(key, { source: "file", path: file });
  } finally {
    key.fill(0);
  }
}
