import { expect } from "vitest";

/** The call fails with an instance of `type` (the SDK's exception class). */
export async function rejects<T>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, `expected ${type.name}`).toBeInstanceOf(type);
}
