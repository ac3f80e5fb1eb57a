// The Wycheproof vectors ship with the repository: a bare clone (nothing beside it) must run
// the crypto suite, and the copies must be the published files, whole, with their licence.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WYCHEPROOF_DIR, loadWycheproof } from "./test-support/wycheproof";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const vectorFiles = () => fs.readdirSync(WYCHEPROOF_DIR).filter((f) => f.endsWith(".json"));

describe("Wycheproof fixtures", () => {
  it("are read from inside the repository, not from a folder beside it", () => {
    const rel = path.relative(REPO_ROOT, WYCHEPROOF_DIR);
    expect(rel.startsWith("..") || path.isAbsolute(rel)).toBe(false);
    expect(rel).toBe(path.join("lib", "crypto", "__fixtures__", "wycheproof"));
  });

  it("carry the upstream licence and the commit they were copied from", () => {
    expect(fs.readFileSync(path.join(WYCHEPROOF_DIR, "LICENSE"), "utf8")).toContain("Apache License");
    expect(fs.readFileSync(path.join(WYCHEPROOF_DIR, "SOURCE.txt"), "utf8")).toMatch(/C2SP\/wycheproof @ [0-9a-f]{40}/);
  });

  it("are whole published files (numberOfTests matches the cases present)", () => {
    const files = vectorFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const data = loadWycheproof(file);
      const cases = data.testGroups.reduce((n, g) => n + g.tests.length, 0);
      expect(cases, file).toBe(data.numberOfTests);
    }
  });
});
