import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalKeyStore } from "./local";
import { ShamirKeyStore } from "./shamir";
import { encodeShare, parseShare, splitRootKey } from "./shamir-shares";

const AAD = Buffer.from("keyhold test aad");

async function sealedStore(custodians = 5, threshold = 3, options = {}) {
  const rootKey = randomBytes(32);
  const { custody, shares } = await splitRootKey(rootKey, custodians, threshold);
  return { rootKey, custody, shares, store: new ShamirKeyStore(custody, options) };
}

afterEach(() => vi.useRealTimers());

describe("ShamirKeyStore", () => {
  it("starts sealed, answers the sealed error, and unseals with any M of N shares to the same root key", async () => {
    const { rootKey, custody, shares, store } = await sealedStore();
    expect(JSON.stringify(custody)).not.toContain(rootKey.toString("hex"));
    expect(store.describe()).toMatchObject({ kind: "shamir", sealed: true, threshold: 3, custodians: 5, entered: 0 });
    await expect(store.wrap(Buffer.from("x"), AAD)).rejects.toMatchObject({ name: "DependencyTimeoutException", message: expect.stringMatching(/^Keyhold is sealed: 0 of 3 unseal shares entered/) });
    expect(await store.submitShare(shares[4])).toEqual({ sealed: true, entered: 1, threshold: 3, custodians: 5 });
    await expect(store.unwrap(Buffer.alloc(40), AAD)).rejects.toThrow(/1 of 3 unseal shares entered/);
    expect(await store.submitShare(`  ${shares[1]}\n`)).toMatchObject({ sealed: true, entered: 2 });
    expect(await store.submitShare(shares[2])).toEqual({ sealed: false, entered: 0, threshold: 3, custodians: 5 });
    // The same key as before the split: what the local store wrapped, this one unwraps.
    const blob = await new LocalKeyStore(rootKey).wrap(Buffer.from("material"), AAD);
    expect((await store.unwrap(blob, AAD)).toString()).toBe("material");
    expect(store.describe().fingerprint).toBe(new LocalKeyStore(rootKey).describe().fingerprint);
    await expect(store.submitShare(shares[0])).rejects.toThrow(/already unsealed/);
  });

  it("refuses a duplicate, a mistyped, a foreign and a garbage share, keeping the progress", async () => {
    const { shares, store } = await sealedStore(3, 2);
    const other = await sealedStore(3, 2);
    await store.submitShare(shares[0]);
    await expect(store.submitShare(shares[0])).rejects.toMatchObject({ name: "ValidationException", message: expect.stringMatching(/already entered/) });
    const typo = shares[1].slice(0, 20) + (shares[1][20] === "A" ? "B" : "A") + shares[1].slice(21);
    await expect(store.submitShare(typo)).rejects.toThrow(/not a Keyhold unseal share/);
    await expect(store.submitShare(other.shares[1])).rejects.toThrow(/belongs to another root key/);
    await expect(store.submitShare("hello")).rejects.toThrow(/not a Keyhold unseal share/);
    await expect(store.submitShare(shares[1].slice(0, -3))).rejects.toThrow(/not a Keyhold unseal share/);
    expect(store.progress()).toMatchObject({ sealed: true, entered: 1 });
    expect((await store.submitShare(shares[1])).sealed).toBe(false);
  });

  it("M−1 shares leave it sealed; a wrong share (well formed, same key id) is refused after combining and progress resets", async () => {
    const { shares, store } = await sealedStore(5, 3);
    await store.submitShare(shares[0]);
    await store.submitShare(shares[1]);
    expect(store.sealed).toBe(true);
    const p = parseShare(shares[2])!;
    p.share[0] ^= 0xff; // a corrupted y value that still carries a valid frame
    await expect(store.submitShare(encodeShare(p.fingerprint, p.generation, p.share))).rejects.toThrow(/do not recombine to this Keyhold's root key/);
    expect(store.progress()).toMatchObject({ sealed: true, entered: 0 });
    await expect(store.wrap(Buffer.from("x"), AAD)).rejects.toThrow(/sealed/);
  });

  it("drops entered shares after the unseal timeout", async () => {
    vi.useFakeTimers();
    const { shares, store } = await sealedStore(3, 2, { unsealTimeoutMs: 60_000 });
    await store.submitShare(shares[0]);
    vi.advanceTimersByTime(60_001);
    expect(store.progress().entered).toBe(0);
    await store.submitShare(shares[1]);
    expect(store.sealed).toBe(true);
  });

  it("rekey gives new shares for the same root key; the old split is refused; seal forgets the key", async () => {
    const recorded: unknown[] = [];
    const { rootKey, shares, store } = await sealedStore(3, 2, { onRekey: (c: unknown) => recorded.push(c) });
    await expect(store.rekey(4, 3)).rejects.toThrow(/sealed/);
    await store.submitShare(shares[0]);
    await store.submitShare(shares[1]);
    const blob = await store.wrap(Buffer.from("kept"), AAD);
    const rekeyed = await store.rekey(4, 3);
    expect(rekeyed.shares).toHaveLength(4);
    expect(recorded).toEqual([rekeyed.custody]);
    store.seal();
    await expect(store.unwrap(blob, AAD)).rejects.toThrow(/Keyhold is sealed: 0 of 3/);
    await expect(store.submitShare(shares[0])).rejects.toThrow(/earlier split/);
    for (const s of rekeyed.shares.slice(1)) await store.submitShare(s);
    expect((await store.unwrap(blob, AAD)).toString()).toBe("kept");
    expect(rekeyed.custody.fingerprint).toBe(new LocalKeyStore(rootKey).describe().fingerprint);
  });
});
