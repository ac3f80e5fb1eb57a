// The run's secret registry: every plaintext, data key, password and
// access-key secret the tests handle is recorded here, and at the end of the
// run (tests/global-setup.ts teardown) every audit record — the run's own
// database and each API server's, collected when the server stops — is
// scanned for them in raw, base64, base64url and hex form. Test files run in
// separate contexts, so the registry is a folder of append-only files in the
// run's data folder (KEYHOLD_DATA_DIR, which global-setup creates).
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

/** Shorter values could match by chance; they are not recorded. */
const MIN_BYTES = 8;
/** Every search form is at least this long; its first ANCHOR characters index it. */
const ANCHOR = 8;
const SECRET_FIELD = /plaintext|secret|password/i;

export const registryDir = (runDir: string | undefined = process.env.KEYHOLD_DATA_DIR): string | undefined =>
  runDir ? join(runDir, "secret-registry") : undefined;

export interface Entry {
  label: string;
  kind: "text" | "bytes";
  hex: string;
}

const seen = new Set<string>();

/** Records one secret (bytes or text) for the end-of-run audit scan. */
export function recordSecret(value: Uint8Array | string | null | undefined, label = "secret"): void {
  if (value === null || value === undefined) return;
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (bytes.length < MIN_BYTES || new Set(bytes).size < 4) return; // too short or too uniform to be told from chance
  const entry: Entry = { label, kind: typeof value === "string" ? "text" : "bytes", hex: bytes.toString("hex") };
  const key = `${entry.kind}:${entry.hex}`;
  if (seen.has(key)) return;
  const dir = registryDir();
  if (!dir) throw new Error("KEYHOLD_DATA_DIR is not set: the secret registry lives in the test run's data folder");
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `secrets-${process.pid}.jsonl`), `${JSON.stringify(entry)}\n`);
  seen.add(key);
}

/** Records every secret-named field (Plaintext, PrivateKeyPlaintext, SharedSecret, SecretAccessKey, *password*) in a value. */
export function recordSecretsIn(value: unknown, label = "", depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 6 || value instanceof Uint8Array) return;
  for (const [k, v] of Object.entries(value)) {
    const name = label ? `${label}.${k}` : k;
    if (SECRET_FIELD.test(k) && (typeof v === "string" || v instanceof Uint8Array)) recordSecret(v, name);
    else recordSecretsIn(v, name, depth + 1);
  }
}

/** Adds a middleware to an AWS SDK client that records the secrets in every request and response. */
export function recordSdkSecrets<C extends { middlewareStack: { add(m: unknown, o: unknown): void } }>(client: C): C {
  client.middlewareStack.add(
    (next: (a: { input: unknown }) => Promise<{ output: unknown }>, context: { commandName?: string }) => async (args: { input: unknown }) => {
      recordSecretsIn(args.input, `${context.commandName ?? "sdk"} request`);
      const result = await next(args);
      recordSecretsIn(result.output, `${context.commandName ?? "sdk"} response`);
      return result;
    },
    { step: "initialize", name: "keyholdRecordSecrets" },
  );
  return client;
}

// ---- The scan ----------------------------------------------------------------

function formsOf(entry: Entry): Array<{ form: string; needle: string }> {
  const bytes = Buffer.from(entry.hex, "hex");
  const forms: Array<{ form: string; needle: string }> = [
    { form: "base64", needle: bytes.toString("base64").replace(/=+$/, "") },
    { form: "base64url", needle: bytes.toString("base64url") },
    { form: "hex", needle: entry.hex },
    { form: "HEX", needle: entry.hex.toUpperCase() },
  ];
  const text = bytes.toString("utf8");
  if (entry.kind === "text" || (/^[\x20-\x7e]+$/.test(text) && text.length >= 12)) {
    forms.push({ form: "raw", needle: text }, { form: "raw (JSON-escaped)", needle: JSON.stringify(text).slice(1, -1) });
  }
  if (entry.kind === "bytes" && bytes.length >= 16) forms.push({ form: "byte list", needle: [...bytes].join(",") });
  return forms.filter((f) => f.needle.length >= ANCHOR);
}

export interface Finding {
  label: string;
  form: string;
  where: string;
}

/** Finds every registered secret in a text in one pass (needles indexed by their first ANCHOR characters). */
export class SecretScanner {
  readonly #byAnchor = new Map<string, Array<{ needle: string; label: string; form: string }>>();
  readonly size: number;

  constructor(entries: Entry[]) {
    let n = 0;
    for (const e of entries) {
      for (const f of formsOf(e)) {
        const anchor = f.needle.slice(0, ANCHOR);
        const list = this.#byAnchor.get(anchor) ?? [];
        list.push({ needle: f.needle, label: e.label, form: f.form });
        this.#byAnchor.set(anchor, list);
        n += 1;
      }
    }
    this.size = n;
  }

  scan(text: string, where: string): Finding[] {
    const found: Finding[] = [];
    if (this.#byAnchor.size === 0) return found;
    for (let i = 0; i + ANCHOR <= text.length; i++) {
      const candidates = this.#byAnchor.get(text.slice(i, i + ANCHOR));
      if (!candidates) continue;
      for (const c of candidates) if (text.startsWith(c.needle, i)) found.push({ label: c.label, form: c.form, where });
    }
    return found;
  }
}

export function loadRegisteredSecrets(runDir: string): Entry[] {
  const dir = registryDir(runDir)!;
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith("secrets-"));
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    readFileSync(join(dir, f), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Entry),
  );
}

/** Audit records of an API server's own database, saved when it stops for the end-of-run scan. */
export function saveServerAuditRecords(name: string, records: string[]): void {
  const dir = registryDir();
  if (!dir) throw new Error("KEYHOLD_DATA_DIR is not set");
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `audit-${name}.jsonl`), records.map((r) => `${r.replace(/\n/g, " ")}\n`).join(""));
}

export async function readAuditRecords(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ eventId: string; record: string | null; body: Uint8Array | null }>(`SELECT "eventId"::text AS "eventId", record, body FROM "AuditEvent" ORDER BY id`);
    return rows.map((r) => decodeRecord(r));
  } finally {
    await client.end();
  }
}

/**
 * Scans every audit record of the run — the run's database and the saved
 * records of each API server — for every registered secret.
 */
export async function scanRunForSecrets(runDir: string, databaseUrl: string): Promise<{ secrets: number; records: number; findings: Finding[] }> {
  const entries = loadRegisteredSecrets(runDir);
  const scanner = new SecretScanner(entries);
  const findings: Finding[] = [];
  let records = 0;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let after = "0"; ; ) {
      const { rows } = await client.query<{ id: string; eventName: string; eventId: string; record: string | null; body: Uint8Array | null }>(
        `SELECT id::text AS id, "eventName", "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE id > $1::bigint ORDER BY id LIMIT 2000`,
        [after],
      );
      if (rows.length === 0) break;
      for (const r of rows) findings.push(...scanner.scan(decodeRecord(r), `AuditEvent ${r.id} (${r.eventName})`));
      records += rows.length;
      after = rows[rows.length - 1]!.id;
    }
  } finally {
    await client.end();
  }
  const dir = registryDir(runDir)!;
  let saved: string[] = [];
  try {
    saved = readdirSync(dir).filter((f) => f.startsWith("audit-"));
  } catch {
    // no API server ran
  }
  for (const f of saved) {
    const lines = readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean);
    lines.forEach((line, i) => findings.push(...scanner.scan(line, `${f} line ${i + 1}`)));
    records += lines.length;
  }
  return { secrets: entries.length, records, findings };
}
