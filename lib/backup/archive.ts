// The backup archive format: a versioned header, then the content in
// AES-256-GCM chunks, so an archive of any size is written and read in
// bounded memory.
//
//   "KHBACKUP" | u32 header length | header (JSON)
//   then per chunk: u32 sealed length | ciphertext | tag (16)
//
// The content key is random per archive and stored in the header wrapped by
// the root key store (any kind: local file, custodian shares, HSM — it only
// has to wrap and unwrap) or by a key derived from a passphrase (scrypt).
// Chunk i is sealed with nonce = i and AAD = SHA-256(header) | i | final flag:
// a changed header, a reordered, dropped or appended chunk, or a cut-off tail
// all fail authentication. The root key itself is never in an archive.
import { createHash, randomBytes, randomUUID, scrypt as scryptCb, type ScryptOptions } from "node:crypto";
import { aesGcmOpen, aesGcmSeal, GCM_IV_BYTES, GCM_TAG_BYTES, isCiphertextError, type KeyStore } from "@/lib/crypto";
import { ValidationException } from "@/lib/errors";

const MAGIC = Buffer.from("KHBACKUP");
export const FORMAT_VERSION = 1;
/** Plaintext bytes per chunk. */
export const CHUNK_BYTES = 1 << 20;
const MAX_HEADER = 64 * 1024;
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

export const NOT_THIS_KEY = "the archive was not made with this root key, or it was changed";
export const NOT_THIS_PASSPHRASE = "the archive was not made with this passphrase, or it was changed";
export const CHANGED = "the archive was changed or is incomplete";

/** A backup archive that cannot be read: wrong key or passphrase, tampered, truncated. */
export class ArchiveError extends ValidationException {}

type Protection =
  | { kind: "root-key"; keyStore: string; wrappedKey: string }
  | { kind: "passphrase"; kdf: "scrypt"; salt: string; N: number; r: number; p: number; wrappedKey: string };

export interface ArchiveHeader {
  format: "keyhold-backup";
  version: number;
  archiveId: string;
  createdAt: string;
  keyholdVersion: string;
  protection: Protection;
}

const keyAad = (archiveId: string) => Buffer.from(`keyhold:backup-archive-key:${archiveId}`);

function scrypt(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r };
  return new Promise((resolve, reject) => scryptCb(passphrase.normalize("NFC"), salt, 32, options, (e, k) => (e ? reject(e) : resolve(k))));
}

/** Seals a 32-byte content key under a passphrase-derived key: IV | ciphertext | tag. */
function sealWithKey(kek: Buffer, key: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(GCM_IV_BYTES);
  const { ciphertext, tag } = aesGcmSeal(kek, iv, key, aad);
  return Buffer.concat([iv, ciphertext, tag]);
}

function openWithKey(kek: Buffer, blob: Buffer, aad: Buffer): Buffer {
  if (blob.length < GCM_IV_BYTES + GCM_TAG_BYTES) throw new ArchiveError(NOT_THIS_PASSPHRASE);
  return aesGcmOpen(kek, blob.subarray(0, GCM_IV_BYTES), blob.subarray(GCM_IV_BYTES, -GCM_TAG_BYTES), blob.subarray(-GCM_TAG_BYTES), aad);
}

export type ArchiveSecret = { store: KeyStore } | { passphrase: string };

/** A new header and its content key. */
export async function newArchive(secret: ArchiveSecret, keyholdVersion: string): Promise<{ header: ArchiveHeader; key: Buffer }> {
  const archiveId = randomUUID();
  const key = randomBytes(32);
  let protection: Protection;
  if ("store" in secret) {
    const d = secret.store.describe();
    const wrapped = await secret.store.wrap(key, keyAad(archiveId));
    protection = { kind: "root-key", keyStore: `${d.kind}${d.fingerprint ? `:${String(d.fingerprint)}` : ""}`, wrappedKey: wrapped.toString("base64") };
  } else {
    const salt = randomBytes(16);
    const kek = await scrypt(secret.passphrase, salt, SCRYPT);
    try {
      protection = { kind: "passphrase", kdf: "scrypt", salt: salt.toString("base64"), ...SCRYPT, wrappedKey: sealWithKey(kek, key, keyAad(archiveId)).toString("base64") };
    } finally {
      kek.fill(0);
    }
  }
  const header: ArchiveHeader = { format: "keyhold-backup", version: FORMAT_VERSION, archiveId, createdAt: new Date().toISOString(), keyholdVersion, protection };
  return { header, key };
}

/** Unwraps the content key; wrong root key, wrong passphrase or a changed header → ArchiveError. */
export async function archiveKey(header: ArchiveHeader, secret: { store: KeyStore; passphrase?: string }): Promise<Buffer> {
  const p = header.protection;
  const wrapped = Buffer.from(p.wrappedKey, "base64");
  try {
    if (p.kind === "root-key") return await secret.store.unwrap(wrapped, keyAad(header.archiveId));
    if (secret.passphrase === undefined) throw new ValidationException("this archive is protected by a passphrase: give it with --passphrase-stdin");
    if (p.kdf !== "scrypt" || p.N > 1 << 20 || p.r > 32 || p.p > 16) throw new ArchiveError(CHANGED);
    const kek = await scrypt(secret.passphrase, Buffer.from(p.salt, "base64"), p);
    try {
      return openWithKey(kek, wrapped, keyAad(header.archiveId));
    } finally {
      kek.fill(0);
    }
  } catch (e) {
    if (isCiphertextError(e)) throw new ArchiveError(p.kind === "root-key" ? NOT_THIS_KEY : NOT_THIS_PASSPHRASE);
    throw e;
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function nonce(index: number): Buffer {
  const n = Buffer.alloc(GCM_IV_BYTES);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
}

function chunkAad(headerHash: Buffer, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index));
  tail[8] = final ? 1 : 0;
  return Buffer.concat([Buffer.from("keyhold-backup:v1"), headerHash, tail]);
}

/**
 * Encrypts content as it is pushed; `write` receives the bytes of the
 * archive in order (header first). Call end() once: it seals the final chunk.
 */
export class ArchiveWriter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #index = 0;
  readonly #hash: Buffer;

  constructor(
    header: ArchiveHeader,
    private readonly key: Buffer,
    private readonly write: (bytes: Buffer) => Promise<void>,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    const head = Buffer.from(JSON.stringify(header));
    const prefix = Buffer.concat([MAGIC, u32(head.length), head]);
    this.#hash = createHash("sha256").update(prefix).digest();
    this.#first = prefix;
  }

  #first: Buffer | undefined;

  async push(text: string): Promise<void> {
    const bytes = Buffer.from(text);
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    // Hold one full chunk back: only at end() is it known which chunk is final.
    while (this.#pendingBytes > this.chunkBytes) {
      const all = Buffer.concat(this.#pending);
      await this.#seal(all.subarray(0, this.chunkBytes), false);
      this.#pending = [all.subarray(this.chunkBytes)];
      this.#pendingBytes = all.length - this.chunkBytes;
    }
  }

  async end(): Promise<void> {
    await this.#seal(Buffer.concat(this.#pending), true);
    this.#pending = [];
    this.key.fill(0);
  }

  async #seal(plaintext: Buffer, final: boolean): Promise<void> {
    const { ciphertext, tag } = aesGcmSeal(this.key, nonce(this.#index), plaintext, chunkAad(this.#hash, this.#index, final));
    this.#index++;
    const out = Buffer.concat([...(this.#first ? [this.#first] : []), u32(ciphertext.length + GCM_TAG_BYTES), ciphertext, tag]);
    this.#first = undefined;
    await this.write(out);
  }
}

/** Reads exactly n bytes, or fewer at the end of the input. */
export type ByteSource = { read(n: number): Promise<Buffer> };

/** Reads and parses the header (not yet authenticated: the chunks authenticate it). */
export async function readHeader(source: ByteSource): Promise<{ header: ArchiveHeader; hash: Buffer }> {
  const magic = await source.read(MAGIC.length + 4);
  if (magic.length < MAGIC.length + 4 || !magic.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ArchiveError("not a Keyhold backup archive");
  }
  const length = magic.readUInt32BE(MAGIC.length);
  if (length > MAX_HEADER) throw new ArchiveError(CHANGED);
  const head = await source.read(length);
  if (head.length < length) throw new ArchiveError(CHANGED);
  let header: ArchiveHeader;
  try {
    header = JSON.parse(head.toString("utf8")) as ArchiveHeader;
  } catch {
    throw new ArchiveError(CHANGED);
  }
  if (header?.format !== "keyhold-backup" || typeof header.archiveId !== "string" || !header.protection) throw new ArchiveError(CHANGED);
  if (header.version !== FORMAT_VERSION) throw new ArchiveError(`archive format version ${header.version} is not supported by this Keyhold (it reads version ${FORMAT_VERSION})`);
  return { header, hash: createHash("sha256").update(Buffer.concat([magic, head])).digest() };
}

/** Yields the authenticated plaintext chunks in order; throws ArchiveError on any change. */
export async function* readChunks(source: ByteSource, headerHash: Buffer, key: Buffer): AsyncGenerator<Buffer> {
  let index = 0;
  let next = await source.read(4);
  if (next.length === 0) throw new ArchiveError(CHANGED);
  for (;;) {
    if (next.length < 4) throw new ArchiveError(CHANGED);
    const length = next.readUInt32BE(0);
    if (length < GCM_TAG_BYTES || length > CHUNK_BYTES + GCM_TAG_BYTES) throw new ArchiveError(CHANGED);
    const sealed = await source.read(length);
    if (sealed.length < length) throw new ArchiveError(CHANGED);
    next = await source.read(4);
    const final = next.length === 0;
    let plaintext: Buffer;
    try {
      plaintext = aesGcmOpen(key, nonce(index), sealed.subarray(0, -GCM_TAG_BYTES), sealed.subarray(-GCM_TAG_BYTES), chunkAad(headerHash, index, final));
    } catch (e) {
      if (isCiphertextError(e)) throw new ArchiveError(CHANGED);
      throw e;
    }
    yield plaintext;
    if (final) return;
    index++;
  }
}

/** A ByteSource over an in-memory archive (tests) . */
export function bufferSource(bytes: Buffer): ByteSource {
  let at = 0;
  return {
    async read(n) {
      const out = bytes.subarray(at, at + n);
      at += out.length;
      return out;
    },
  };
}
