import { describe, expect, it } from "vitest";
import { contextSlot } from "./call-context";

const tick = () => new Promise<void>((r) => setImmediate(r));

describe("call context slots", () => {
  const a = contextSlot<string>("a");
  const b = contextSlot<number>("b");

  it("carries each slot across awaits, timers and nested calls", async () => {
    expect(a.getStore()).toBeUndefined();
    await a.run("outer", async () => {
      await tick();
      expect(a.getStore()).toBe("outer");
      await b.run(1, async () => {
        await tick();
        expect([a.getStore(), b.getStore()]).toEqual(["outer", 1]);
        await a.run("inner", async () => {
          await new Promise((r) => setTimeout(r, 1));
          expect([a.getStore(), b.getStore()]).toEqual(["inner", 1]);
        });
        expect([a.getStore(), b.getStore()]).toEqual(["outer", 1]);
      });
      expect(b.getStore()).toBeUndefined();
    });
    expect(a.getStore()).toBeUndefined();
  });

  it("unsets one slot with exit and leaves the others", async () => {
    await a.run("kept", () =>
      b.run(2, async () => {
        const seen = await b.exit(async () => {
          await tick();
          return [a.getStore(), b.getStore()];
        });
        expect(seen).toEqual(["kept", undefined]);
        expect(b.getStore()).toBe(2);
      }),
    );
  });

  it("keeps concurrent calls apart", async () => {
    const seen = await Promise.all(
      ["x", "y", "z"].map((v, i) =>
        a.run(v, async () => {
          await new Promise((r) => setTimeout(r, 3 - i));
          return a.getStore();
        }),
      ),
    );
    expect(seen).toEqual(["x", "y", "z"]);
  });
});
