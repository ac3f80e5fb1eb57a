import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAuditEvent } from "@/lib/audit";
import { EXPORT_PAGE, csvField, exportAuditEvents, type ExportInput } from "@/lib/audit/export";
import { verifyAuditTrail } from "@/lib/audit/verify";
import { auditWriter } from "@/lib/audit/writer";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser } from "../helpers";
import { auditEvents, auditEvent, tamperRecord } from "../support/audit-rows";

const SCRIPT = join(process.cwd(), "scripts", "verify-audit-export.mjs");
const dir = mkdtempSync(join(tmpdir(), "keyhold-audit-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let t0: Date;
let auditor: Principal;
let keyAdmin: Principal;
let keyUser: Principal;
let keyId: string;
const evilName = `=HYPERLINK("x"),"quoted", name-${randomUUID().slice(0, 6)}`;

async function collect(chunks: AsyncIterable<string>): Promise<{ text: string; chunks: number }> {
  let text = "";
  let n = 0;
  for await (const c of chunks) {
    text += c;
    n++;
  }
  return { text, chunks: n };
}

async function exportText(caller: Principal, input: ExportInput): Promise<{ text: string; chunks: number }> {
  return collect((await exportAuditEvents(caller, input)).chunks);
}

async function exportTo(name: string, input: Partial<ExportInput> = {}): Promise<string> {
  const { text } = await exportText(auditor, { from: t0, to: new Date(Date.now() + 1000), format: "jsonl", ...input });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function verifyFile(file: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [SCRIPT, file], { encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);

beforeAll(async () => {
  // From this file's first call on: an earlier start would take in the previous test file's chain (undigested tail).
  t0 = new Date();
  [auditor, keyAdmin, keyUser] = (await Promise.all([makeUser("AUDITOR"), makeUser("KEY_ADMINISTRATOR"), makeUser("KEY_USER")])).map(
    (u) => u.principal,
  );
  const created = (await invokeKms("CreateKey", keyAdmin, { Description: "export test, with \"quotes\"\nand a newline" }, { source: "console" })) as {
    KeyMetadata: { KeyId: string };
  };
  keyId = created.KeyMetadata.KeyId;
  await invokeKms("Encrypt", keyUser, { KeyId: keyId, Plaintext: new Uint8Array([7]) }, { source: "api" });
  await invokeKms("DescribeKey", keyUser, { KeyId: randomUUID() }, { source: "console" }).catch(() => {});
  await writeAuditEvent({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    via: "console",
    readOnly: false,
    claimedIdentity: evilName,
    sourceIp: "198.51.100.10",
    error: { name: "AuthenticationFailed", message: "Invalid username or password" },
  });
  // More than one page of events, written concurrently (group commit).
  await Promise.all(
    Array.from({ length: EXPORT_PAGE + 150 }, (_, i) =>
      writeAuditEvent({ eventName: "GenerateRandom", via: "api", readOnly: true, caller: keyUser, request: { NumberOfBytes: (i % 32) + 1 } }),
    ),
  );
  await invokeKms("DescribeKey", keyAdmin, { KeyId: keyId }, { source: "console" });
  await auditWriter().digest();
});

describe("JSONL export", () => {
  it("stores every record as text that JSON.parse/JSON.stringify reproduce byte for byte", async () => {
    let after = 0n;
    let checked = 0;
    for (;;) {
      const rows = await auditEvents({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: 2000 });
      for (const r of rows) expect(JSON.stringify(JSON.parse(r.record))).toBe(r.record);
      checked += rows.length;
      if (rows.length < 2000) break;
      after = rows[rows.length - 1]!.id;
    }
    expect(checked).toBeGreaterThan(EXPORT_PAGE);
  });

  it("streams events in chain order, then digests and public keys, and verifies outside Keyhold", async () => {
    const prepared = await exportAuditEvents(auditor, { from: t0, to: new Date(Date.now() + 1000), format: "jsonl" });
    // The export is itself recorded (ExportAuditEvents) before the first
    // byte; sign a digest that covers that event too.
    await auditWriter().digest();
    const { text, chunks } = await collect(prepared.chunks);
    expect(chunks).toBeGreaterThan(2); // page by page, not one string
    const parsed = text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const events = parsed.filter((l) => "record" in l) as Array<{ chainId: string; chainSeq: number; prevHash: string; hash: string; record: { eventName: string } }>;
    const digests = parsed.filter((l) => "digest" in l) as Array<{ digest: Record<string, unknown> }>;
    const keys = parsed.filter((l) => "publicKeys" in l) as Array<{ publicKeys: Array<{ id: string; pem: string }> }>;
    expect(events.length).toBeGreaterThan(EXPORT_PAGE + 150);
    expect(parsed.indexOf(keys[0]!)).toBe(parsed.length - 1);
    expect(keys[0]!.publicKeys[0]!.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    // chain order: (chainId, chainSeq) ascending and consecutive within a chain
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      if (a.chainId === b.chainId) expect(b.chainSeq).toBe(a.chainSeq + 1);
      else expect(a.chainId < b.chainId).toBe(true);
    }
    expect(events.map((e) => e.record.eventName)).toEqual(expect.arrayContaining(["CreateKey", "Encrypt", "ConsoleLogin", "GenerateRandom"]));
    expect(digests.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(digests[0]!.digest).sort()).toEqual(
      ["chainId", "createdAt", "id", "lastHash", "lastSeq", "prevSignature", "signature", "signingKeyId"].sort(),
    );
    // The digest written just now ends at the last exported event of this process's chain (the one that
    // recorded the export; the window's first second may hold another test file's chain, undigested).
    const ownChain = events.find((e) => e.record.eventName === "ExportAuditEvents")!.chainId;
    const last = events.filter((e) => e.chainId === ownChain).at(-1)!;
    expect(digests.some((d) => d.digest.chainId === ownChain && d.digest.lastSeq === last.chainSeq && d.digest.lastHash === last.hash)).toBe(true);
    expect(prepared.count).toBeLessThanOrEqual(events.length);
    expect(events.map((e) => e.record.eventName)).toContain("ExportAuditEvents");

    const file = join(dir, "intact.jsonl");
    writeFileSync(file, text);
    const r = verifyFile(file);
    expect(r.out).toMatch(/^OK: \d+ events in \d+ chain\(s\) and \d+ signed digest\(s\) verified/);
    expect(r.status).toBe(0);
  });

  it("verifies a range that starts mid-chain", async () => {
    const rows = await prisma.auditEvent.findMany({ where: { eventTime: { gte: t0 } }, orderBy: { id: "asc" }, select: { eventTime: true } });
    const mid = rows[Math.floor(rows.length / 2)]!.eventTime;
    const file = await exportTo("mid.jsonl", { from: mid });
    const r = verifyFile(file);
    expect(r.status, r.out).toBe(0);
  });

  it("fails with exit 1 when the exported file is tampered with", async () => {
    const file = await exportTo("base.jsonl");
    const original = lines(file);
    const eventIdx = original.findIndex((l) => l.includes('"eventName":"CreateKey"'));
    expect(eventIdx).toBeGreaterThanOrEqual(0);

    const cases: Array<[string, (ls: string[]) => string[], RegExp]> = [
      ["changed record", (ls) => ls.map((l, i) => (i === eventIdx ? l.replace('"eventName":"CreateKey"', '"eventName":"DescribeKey"') : l)), /was changed/],
      ["removed event", (ls) => ls.filter((_, i) => i !== eventIdx + 1), /missing|does not follow/],
      [
        "swapped events",
        (ls) => ls.map((l, i) => (i === eventIdx ? ls[eventIdx + 1]! : i === eventIdx + 1 ? ls[eventIdx]! : l)),
        /out of order|missing/,
      ],
      [
        "recomputed hash",
        // Someone who rewrites an event and its hash still breaks the next link.
        (ls) =>
          ls.map((l, i) => {
            if (i !== eventIdx) return l;
            const e = JSON.parse(l);
            e.record.eventName = "DescribeKey";
            e.hash = hashOf(e.prevHash, JSON.stringify(e.record));
            return JSON.stringify(e);
          }),
        /does not follow|differs from what the signed digest/,
      ],
      [
        "forged digest",
        (ls) =>
          ls.map((l) => {
            if (!l.startsWith('{"digest"')) return l;
            const d = JSON.parse(l);
            d.digest.lastSeq += 0;
            d.digest.createdAt = new Date(Date.parse(d.digest.createdAt) + 1).toISOString();
            return JSON.stringify(d);
          }),
        /invalid signature/,
      ],
      ["cut trailer", (ls) => ls.filter((l) => !l.startsWith('{"publicKeys"')), /no publicKeys/],
      ["not JSON", (ls) => ls.map((l, i) => (i === eventIdx ? l.slice(0, -2) : l)), /not valid JSON/],
    ];
    for (const [name, mutate, message] of cases) {
      const f = join(dir, `${name.replace(/ /g, "-")}.jsonl`);
      writeFileSync(f, `${mutate([...original]).join("\n")}\n`);
      const r = verifyFile(f);
      expect(r.status, `${name}: ${r.out}`).toBe(1);
      expect(r.out, name).toMatch(message);
    }
  });

  it("fails after a row is tampered in the database, and passes again once restored", async () => {
    const row = await auditEvent({ keyId, eventName: "CreateKey" });
    const forged = row.record.replace('"eventName":"CreateKey"', '"eventName":"ListKeys"');
    expect(forged).not.toBe(row.record);
    const restore = await tamperRecord(row.id, forged);
    try {
      const r = verifyFile(await exportTo("db-tampered.jsonl"));
      expect(r.status, r.out).toBe(1);
      expect(r.out).toContain(`event #${row.chainSeq} of chain ${row.chainId}`);
      expect(r.out).toMatch(/was changed/);
      expect((await verifyAuditTrail()).firstProblem).toMatchObject({ kind: "changed", chainSeq: row.chainSeq });
    } finally {
      await restore();
    }
    const r = verifyFile(await exportTo("db-restored.jsonl"));
    expect(r.status, r.out).toBe(0);
  });

  it("exits 2 on usage errors", () => {
    expect(spawnSync(process.execPath, [SCRIPT], { encoding: "utf8" }).status).toBe(2);
    expect(spawnSync(process.execPath, [SCRIPT, join(dir, "nope.jsonl")], { encoding: "utf8" }).status).toBe(2);
  });
});

describe("CSV export", () => {
  it("writes a header and one properly quoted row per event, in time order", async () => {
    const { text } = await exportText(auditor, { from: t0, to: new Date(Date.now() + 1000), format: "csv" });
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      "eventTime",
      "eventName",
      "eventSource",
      "userName",
      "userArn",
      "sourceIPAddress",
      "errorCode",
      "keyId",
      "readOnly",
      "eventID",
      "chainId",
      "chainSeq",
      "hash",
    ]);
    const body = rows.slice(1);
    expect(body.length).toBeGreaterThan(EXPORT_PAGE + 150);
    expect(body.every((r) => r.length === 13)).toBe(true);
    const times = body.map((r) => r[0]!);
    expect([...times].sort()).toEqual(times);
    const create = body.find((r) => r[1] === "CreateKey" && r[7] === keyId)!;
    expect(create).toBeDefined();
    expect(create[4]).toBe(keyAdmin.arn);
    expect(create[8]).toBe("false");
    const login = body.find((r) => r[1] === "ConsoleLogin" && r[3]!.includes("quoted"))!;
    // Formula-looking text is defused, quotes and commas survive.
    expect(login[3]).toBe(`'${evilName}`);
    expect(login[6]).toBe("AuthenticationFailed");
    expect(login[5]).toBe("198.51.100.10");
    const denied = body.find((r) => r[1] === "DescribeKey" && r[6] === "NotFoundException");
    expect(denied).toBeDefined();
  });

  it("quotes fields as RFC 4180 says", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField(undefined)).toBe("");
    expect(csvField(false)).toBe("false");
  });
});

describe("export access and validation", () => {
  it("allows auditors and administrators, denies key users and key administrators", async () => {
    const range = { from: t0, to: new Date(), format: "csv" as const };
    for (const p of [keyUser, keyAdmin]) {
      await expect(exportAuditEvents(p, range)).rejects.toMatchObject({ name: "AccessDeniedException" });
    }
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    const { text } = await exportText(admin, range);
    expect(text.split("\r\n").length).toBeGreaterThan(2);
  });

  it("rejects bad ranges and formats with ValidationException", async () => {
    for (const input of [
      { from: t0, to: new Date(), format: "xml" },
      { from: "soon", to: new Date(), format: "jsonl" },
      { from: new Date(), to: t0, format: "jsonl" },
    ]) {
      await expect(exportAuditEvents(auditor, input as ExportInput)).rejects.toMatchObject({ name: "ValidationException" });
    }
  });
});

function hashOf(prev: string, text: string): string {
  return createHash("sha256").update(prev).update("\n").update(text).digest("hex");
}

/** A small RFC 4180 parser (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
