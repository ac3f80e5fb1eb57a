import { describe, expect, it } from "vitest";
import { GCM_IV_BYTES } from "./aes-gcm";
import { randomIv } from "./random-iv";

describe("randomIv", () => {
  it("hands out 12-byte IVs that do not repeat and are never overwritten by a refill", () => {
    const first = randomIv();
    const copy = Buffer.from(first);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const iv = randomIv(); // crosses many refills of the pool
      expect(iv.length).toBe(GCM_IV_BYTES);
      seen.add(iv.toString("hex"));
    }
    expect(seen.size).toBe(5000);
    expect(first.equals(copy)).toBe(true);
  });
});
