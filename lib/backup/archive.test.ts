// The archive format alone: chunks authenticate the header, their order, the
// end of the archive and the key (root key or passphrase).
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LocalKeyStore } from "@/lib/crypto";
import { ArchiveWriter, archiveKey, bufferSource, CHANGED, newArchive, NOT_THIS_KEY, NOT_THIS_PASSPHRASE, readChunks, readHeader } from "./archive";

const store = new LocalKeyStore(randomBytes(32));
const content = Array.from({ length: 40 }, (_, i) => `R\t{"n":${i},"pad":"${"x".repeat(i)}"}\n`).join("");

async function archive(secret: { store: LocalKeyStore } | { passphrase: string } = { store }): Promise<Buffer> {
  const { header, key } = await newArchive(secret, "test");
  const parts: Buffer[] = [];
  const w = new ArchiveWriter(header, key, async (b) => void parts.push(b), 100); // many small chunks
  for (let i = 0; i < content.length; i += 37) await w.push(content.slice(i, i + 37));
  await w.end();
  return Buffer.concat(parts);
}

async function read(bytes: Buffer, secret: { store: LocalKeyStore; passphrase?: string } = { store }): Promise<string> {
  const source = bufferSource(bytes);
  const { header, hash } = await readHeader(source);
  const key = await archiveKey(header, secret);
  const out: Buffer[] = [];
  for await (const c of readChunks(source, hash, key)) out.push(c);
  return Buffer.concat(out).toString();
}

/** Offsets of the chunks (their length fields) after the header. */
function chunkOffsets(bytes: Buffer): number[] {
  let at = 12 + bytes.readUInt32BE(8);
  const offsets: number[] = [];
  while (at < bytes.length) {
    offsets.push(at);
    at += 4 + bytes.readUInt32BE(at);
  }
  return offsets;
}

describe("backup archive", () => {
  it("round-trips content across many chunks, without the root key in it", async () => {
    const bytes = await archive();
    expect(chunkOffsets(bytes).length).toBeGreaterThan(10);
    expect(await read(bytes)).toBe(content);
    expect(bytes.includes(Buffer.from(content.slice(0, 20)))).toBe(false);
  });

  it("refuses a flipped byte anywhere: header, length, ciphertext, tag", async () => {
    const bytes = await archive();
    const headerEnd = 12 + bytes.readUInt32BE(8);
    const createdAt = bytes.indexOf(Buffer.from('"createdAt":"')) + 14; // a header byte that still parses
    for (const at of [createdAt, headerEnd + 2, headerEnd + 10, bytes.length - 1]) {
      const bad = Buffer.from(bytes);
      bad[at]! ^= 0x01;
      await expect(read(bad), `byte ${at}`).rejects.toThrow(/changed|not made with this root key/);
    }
  });

  it("refuses dropped, reordered or appended chunks", async () => {
    const bytes = await archive();
    const offs = chunkOffsets(bytes);
    const last = offs[offs.length - 1]!;
    await expect(read(bytes.subarray(0, last))).rejects.toThrow(CHANGED); // cut after a whole chunk
    const [a, b, c] = [offs[1]!, offs[2]!, offs[3]!];
    const swapped = Buffer.concat([bytes.subarray(0, a), bytes.subarray(b, c), bytes.subarray(a, b), bytes.subarray(c)]);
    await expect(read(swapped)).rejects.toThrow(CHANGED);
    const appended = Buffer.concat([bytes, bytes.subarray(offs[0]!, offs[1]!)]);
    await expect(read(appended)).rejects.toThrow(CHANGED);
  });

  it("opens only with its root key, or only with its passphrase", async () => {
    await expect(read(await archive(), { store: new LocalKeyStore(randomBytes(32)) })).rejects.toThrow(NOT_THIS_KEY);
    const withPassphrase = await archive({ passphrase: "correct horse battery staple" });
    expect(await read(withPassphrase, { store, passphrase: "correct horse battery staple" })).toBe(content);
    await expect(read(withPassphrase, { store, passphrase: "wrong horse battery staple" })).rejects.toThrow(NOT_THIS_PASSPHRASE);
    await expect(read(withPassphrase, { store })).rejects.toThrow(/--passphrase-stdin/);
  });
});
