// The console's key policy validator is compiled ahead of time (no code is
// compiled in the browser under the CSP): the committed module must be what
// the generator makes from the current schema.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { policyValidatorSource, VALIDATOR_PATH } from "../../scripts/generate-policy-validator";

describe("generated key policy validator", () => {
  it("is up to date with lib/policy/key-policy-schema.ts (regenerate: node --import tsx scripts/generate-policy-validator.ts)", () => {
    expect(readFileSync(VALIDATOR_PATH, "utf8")).toBe(policyValidatorSource());
  });

  it("compiles no code at run time", () => {
    const source = readFileSync(VALIDATOR_PATH, "utf8");
    expect(source).not.toMatch(/new Function|eval\(|require\(/);
  });
});
