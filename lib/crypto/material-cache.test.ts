import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MaterialCache } from "./material-cache";

const zero = (b: Buffer) => b.every((x) => x === 0);

describe("MaterialCache", () => {
  it("returns copies and zero-fills on LRU eviction", () => {
    const c = new MaterialCache({ maxEntries: 2 });
    const a = randomBytes(32);
    c.set("k1", 1, a);
    const copy = c.get("k1", 1)!;
    expect(copy.equals(a)).toBe(true);
    expect(copy).not.toBe(a);
    c.set("k2", 1, randomBytes(32));
    c.set("k3", 1, randomBytes(32)); // evicts k1
    expect(c.get("k1", 1)).toBeUndefined();
    expect(zero(a)).toBe(true);
    expect(zero(copy)).toBe(false); // the caller's copy is untouched
  });

  it("zero-fills on TTL expiry", async () => {
    const c = new MaterialCache({ ttlMs: 30 });
    const a = randomBytes(32);
    c.set("k", 1, a);
    await new Promise((r) => setTimeout(r, 120));
    expect(zero(a)).toBe(true);
    expect(c.get("k", 1)).toBeUndefined();
  });

  it("delete(keyId) wipes every version of that key only; clear() wipes all", () => {
    const c = new MaterialCache();
    const [v1, v2, other] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    c.set("k", 1, v1);
    c.set("k", 2, v2);
    c.set("k2", 1, other);
    c.delete("k");
    expect(zero(v1) && zero(v2)).toBe(true);
    expect(zero(other)).toBe(false);
    expect(c.get("k", 1)).toBeUndefined();
    c.clear();
    expect(zero(other)).toBe(true);
    expect(c.size).toBe(0);
  });

  it("overwriting wipes the old buffer, re-setting the same buffer does not", () => {
    const c = new MaterialCache();
    const a = randomBytes(32);
    c.set("k", 1, a);
    c.set("k", 1, a);
    expect(zero(a)).toBe(false);
    c.set("k", 1, randomBytes(32));
    expect(zero(a)).toBe(true);
  });
});
