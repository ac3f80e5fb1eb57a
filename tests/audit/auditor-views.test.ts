// The auditor's read side: console page reads flagged and hidden on request,
// outcome filter (allowed / denied / failed), alias filters and names,
// the principal × outcome summary and filter suggestions.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { queryAuditEvents, auditUsage, type AuditEventView } from "@/lib/audit/query";
import { auditFilterSuggestions } from "@/lib/audit/key-names";
import { auditSummary } from "@/lib/audit/summary";
import type { AuditFilters } from "@/lib/audit/filters";
import type { Principal } from "@/lib/auth/principal";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser } from "../helpers";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t0: Date;
let t1: Date;
let admin: Principal;
let keyUser: Principal;
let auditor: Principal;
let keyId: string;
const alias = `alias/auditor-views-${randomUUID().slice(0, 8)}`;

async function all(filters: AuditFilters = {}): Promise<{ events: AuditEventView[]; aliases: Record<string, string[]> }> {
  const events: AuditEventView[] = [];
  let aliases: Record<string, string[]> = {};
  let cursor: string | undefined;
  do {
    const page = await queryAuditEvents(auditor, { from: t0, to: t1, ...filters }, { cursor, limit: 200 });
    events.push(...page.events);
    aliases = { ...aliases, ...page.aliases };
    cursor = page.nextCursor;
  } while (cursor);
  return { events, aliases };
}
const names = (events: AuditEventView[]) => events.map((e) => e.record.eventName).sort();

beforeAll(async () => {
  await sleep(2);
  t0 = new Date();
  [admin, keyUser, auditor] = (await Promise.all([makeUser("ADMINISTRATOR"), makeUser("KEY_USER"), makeUser("AUDITOR")])).map((u) => u.principal);
  const created = (await invokeKms("CreateKey", admin, { Description: "auditor views" }, { source: "api" })) as { KeyMetadata: { KeyId: string } };
  keyId = created.KeyMetadata.KeyId;
  await invokeKms("CreateAlias", admin, { AliasName: alias, TargetKeyId: keyId }, { source: "api" });
  // Someone looks at the key in the console (a view), and uses it from the API and the console (uses).
  await invokeKms("DescribeKey", admin, { KeyId: keyId }, { source: "console" });
  await invokeKms("DescribeKey", admin, { KeyId: keyId }, { source: "api" });
  await invokeKms("Encrypt", admin, { KeyId: keyId, Plaintext: new Uint8Array([1]) }, { source: "api" });
  await invokeKms("Encrypt", admin, { KeyId: keyId, Plaintext: new Uint8Array([2]) }, { source: "console" });
  // A denied call (the key user is not in the key's policy) and a failed one (bad input).
  await invokeKms("ScheduleKeyDeletion", keyUser, { KeyId: keyId }, { source: "api" }).catch(() => {});
  await invokeKms("Sign", admin, { KeyId: keyId, Message: new Uint8Array([3]), SigningAlgorithm: "ECDSA_SHA_256" }, { source: "api" }).catch(() => {});
  // The auditor's own reading of the trail, from the console.
  await queryAuditEvents(auditor, { from: t0 }, { limit: 1 });
  await sleep(5);
  t1 = new Date();
  await sleep(5);
});

describe("console views", () => {
  it("flags the console's page reads and hides them on request, never its cryptographic calls", async () => {
    const { events } = await all();
    const views = events.filter((e) => e.record.additionalEventData?.consoleView);
    expect(names(views)).toEqual(["DescribeKey", "LookupEvents"]);
    expect(views.every((e) => e.record.additionalEventData?.via === "console" && e.record.readOnly)).toBe(true);

    const hidden = (await all({ hideConsoleViews: true })).events;
    expect(hidden.length).toBe(events.length - 2);
    expect(hidden.some((e) => e.record.additionalEventData?.consoleView)).toBe(false);
    // The console's Encrypt (the playground) is a use of the key, and the API's DescribeKey stays.
    expect(names(hidden.filter((e) => e.record.eventName === "Encrypt" || e.record.eventName === "DescribeKey"))).toEqual([
      "DescribeKey",
      "Encrypt",
      "Encrypt",
    ]);
  });

  it("counts a key's usage without the console's views when asked", async () => {
    const range = { keyId, bucket: "minute" as const, from: new Date(t0.getTime() - 60_000), to: new Date(t1.getTime() + 60_000) };
    const sum = (u: Awaited<ReturnType<typeof auditUsage>>) => u.buckets.reduce((n, b) => n + b.total, 0);
    const everything = sum(await auditUsage(auditor, range));
    const uses = sum(await auditUsage(auditor, { ...range, hideConsoleViews: true }));
    expect(everything - uses).toBe(1);
  });
});

describe("outcome and alias filters", () => {
  it("separates AccessDenied from other errors", async () => {
    const denied = (await all({ outcome: "denied" })).events;
    expect(denied.map((e) => [e.record.eventName, e.record.errorCode])).toEqual([["ScheduleKeyDeletion", "AccessDeniedException"]]);
    const failed = (await all({ outcome: "failed" })).events;
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((e) => e.record.errorCode && e.record.errorCode !== "AccessDeniedException")).toBe(true);
    const allowed = (await all({ outcome: "allowed" })).events;
    expect(allowed.every((e) => !e.record.errorCode)).toBe(true);
    expect(allowed.length + denied.length + failed.length).toBe((await all()).events.length);
  });

  it("filters by alias name or alias ARN and names the key's aliases on each page", async () => {
    const byId = await all({ keyId });
    expect(byId.events.length).toBeGreaterThanOrEqual(7);
    expect(byId.aliases[keyId]).toEqual([alias]);
    const byAlias = await all({ keyId: alias });
    expect(byAlias.events.map((e) => e.id)).toEqual(byId.events.map((e) => e.id));
    const arn = `arn:aws:kms:us-east-1:000000000000:${alias}`;
    expect((await all({ keyId: arn })).events.map((e) => e.id)).toEqual(byId.events.map((e) => e.id));
    expect((await all({ keyId: "alias/no-such-alias-here" })).events).toEqual([]);
    await expect(all({ keyId: "not a key" })).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("auditSummary", () => {
  it("groups by principal and outcome with counts and the last time", async () => {
    const s = await auditSummary(auditor, { from: t0, to: t1, keyId: alias, hideConsoleViews: true });
    const row = (p: Principal, outcome: string) => s.rows.find((r) => r.principal === p.arn && r.outcome === outcome);
    expect(row(keyUser, "denied")).toMatchObject({ count: 1, errorCodes: ["AccessDeniedException"] });
    expect(row(admin, "failed")).toMatchObject({ count: 1, errorCodes: ["InvalidKeyUsageException"] });
    // CreateKey, CreateAlias, DescribeKey (API), two Encrypts; the console's DescribeKey is hidden.
    expect(row(admin, "allowed")?.count).toBe(5);
    expect(s.rows[0]!.outcome).toBe("denied");
    expect(s.total).toBe(s.rows.reduce((n, r) => n + r.count, 0));
    expect(s.otherEvents).toBe(0);
    for (const r of s.rows) expect(new Date(r.lastTime).getTime()).toBeLessThanOrEqual(t1.getTime());
    const denied = await auditSummary(auditor, { from: t0, to: t1, outcome: "denied" });
    expect(denied.rows.map((r) => [r.principal, r.outcome, r.count])).toEqual([[keyUser.arn, "denied", 1]]);
  });

  it("is for administrators and auditors only, and is itself audited", async () => {
    await expect(auditSummary(keyUser, {})).rejects.toMatchObject({ name: "AccessDeniedException" });
    const since = new Date();
    await auditSummary(auditor, { outcome: "denied" });
    const page = await queryAuditEvents(auditor, { from: since, eventName: "GetAuditSummary" });
    expect(page.events.map((e) => [e.record.userIdentity.arn, e.record.requestParameters])).toContainEqual([auditor.arn, { outcome: "denied" }]);
  });
});

describe("auditFilterSuggestions", () => {
  it("suggests aliases, key IDs and usernames matching what was typed", async () => {
    const s = await auditFilterSuggestions(auditor, { key: alias.slice(6, 26).toUpperCase() });
    expect(s.keys).toContainEqual({ value: alias, keyId });
    const byId = await auditFilterSuggestions(auditor, { key: keyId.slice(0, 13) });
    expect(byId.keys).toContainEqual({ value: keyId, keyId });
    const users = await auditFilterSuggestions(auditor, { principal: keyUser.username!.slice(0, 12) });
    expect(users.principals.map((p) => p.value)).toContain(keyUser.username);
    await expect(auditFilterSuggestions(keyUser, { key: "a" })).rejects.toMatchObject({ name: "AccessDeniedException" });
  });
});
