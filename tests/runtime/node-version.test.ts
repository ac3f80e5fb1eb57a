// package.json "engines" is the supported Node range (20.12+, 22 and 24 LTS; 20.12 brought crypto.hash) and CI proves it by
// running this suite on the machine's Node and on Node 24: a run on a Node outside the range, or a
// range that drops a line CI tests, fails here instead of passing as proof.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const engines: string = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).engines.node;

/** The "^major.minor.patch" alternatives of the range (the only form it uses). */
function caretRanges(range: string): [number, number, number][] {
  return range.split("||").map((part) => {
    const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`engines.node alternative "${part.trim()}" is not ^major.minor.patch`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  });
}

function satisfies(version: string, range: string): boolean {
  const [major, minor, patch] = version.replace(/^v/, "").split(".").map(Number);
  return caretRanges(range).some(
    ([M, m, p]) => major === M && (minor > m || (minor === m && patch >= p)),
  );
}

describe("supported Node versions", () => {
  it("engines names the 20, 22 and 24 LTS lines", () => {
    expect(caretRanges(engines).map(([major]) => major)).toEqual([20, 22, 24]);
    expect(satisfies("v20.12.0", engines)).toBe(true);
    expect(satisfies("v20.11.1", engines)).toBe(false);
    expect(satisfies("v23.11.0", engines)).toBe(false);
    expect(satisfies("v24.22.3", engines)).toBe(true);
  });

  it("the Node running the tests (and the servers they spawn) is within engines", () => {
    expect(satisfies(process.version, engines), `${process.version} vs "${engines}"`).toBe(true);
  });
});
