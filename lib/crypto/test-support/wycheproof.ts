// Loader and bookkeeping for the Wycheproof vectors in lib/crypto/__fixtures__/wycheproof (test-only).
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

// Inside the repository and relative to this file, so a bare clone runs the suite from any folder.
export const WYCHEPROOF_DIR = fileURLToPath(new URL("../__fixtures__/wycheproof/", import.meta.url));

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags?: string[];
  result: "valid" | "invalid" | "acceptable";
  [k: string]: unknown;
}
export interface WycheproofGroup {
  tests: WycheproofTest[];
  [k: string]: unknown;
}
export interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

export function loadWycheproof(name: string): WycheproofFile {
  const file = path.join(WYCHEPROOF_DIR, name);
  if (!fs.existsSync(file)) {
    throw new Error(`Wycheproof vector file missing: ${file} (copy it unchanged from the commit in SOURCE.txt)`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as WycheproofFile;
}

export const hex = (s: unknown) => Buffer.from(String(s ?? ""), "hex");

/**
 * Runs every case of a file. `run` returns whether the implementation accepted the case
 * (true = valid / decrypted correctly), "skip" when the case cannot be expressed, and may tag
 * how it ran ("module" = through lib/crypto, "node" = node:crypto directly).
 */
export function runWycheproof(
  name: string,
  run: (group: WycheproofGroup, test: WycheproofTest) => { accepted: boolean; via: "module" | "node" } | "skip",
) {
  const data = loadWycheproof(name);
  const stats = { file: name, total: 0, passed: 0, viaModule: 0, skipped: 0, failures: [] as string[] };
  for (const group of data.testGroups) {
    for (const test of group.tests) {
      stats.total++;
      let r: ReturnType<typeof run>;
      try {
        r = run(group, test);
      } catch (e) {
        stats.failures.push(`tcId ${test.tcId}: threw ${(e as Error).name}: ${(e as Error).message}`);
        continue;
      }
      if (r === "skip") {
        stats.skipped++;
        continue;
      }
      const ok = test.result === "acceptable" || r.accepted === (test.result === "valid");
      if (ok) {
        stats.passed++;
        if (r.via === "module") stats.viaModule++;
      } else {
        stats.failures.push(`tcId ${test.tcId} (${test.result}, ${test.comment}, ${test.flags?.join(",")}): accepted=${r.accepted}`);
      }
    }
  }
  console.log(
    `[wycheproof] ${name}: ${stats.passed}/${stats.total} passed (${stats.viaModule} through lib/crypto), ${stats.skipped} skipped, ${stats.failures.length} failed`,
  );
  return stats;
}
