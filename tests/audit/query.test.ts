import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { writeAuditEvent } from "@/lib/audit";
import { auditEventById, auditEventNames, auditUsage, queryAuditEvents, type AuditEventView } from "@/lib/audit/query";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser, uniqueName } from "../helpers";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string; status?: number };
  }
  throw new Error("expected the call to fail");
}

let t0: Date;
/** When the fixtures are in place: the tests read [t0, t1], since their own reads are recorded too (LookupEvents). */
let t1: Date;
let admin: Principal;
let keyAdmin: Principal;
let keyUser: Principal;
let auditor: Principal;
let keyId: string;
let keyArn: string;
let otherKeyId: string;
const needle = `needle-${randomUUID().slice(0, 8)}`;
const ip = "203.0.113.77";

/** Every fixture event of this file's run matching `filters` (all pages). */
async function all(filters: Parameters<typeof queryAuditEvents>[1] = {}, limit = 200): Promise<AuditEventView[]> {
  const out: AuditEventView[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryAuditEvents(auditor, { from: t0, to: t1, ...filters }, { cursor, limit });
    out.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  // Files share the database: start after the previous file's last event (a
  // window reaching back in time could catch its CreateKey calls).
  await sleep(2);
  t0 = new Date();
  [admin, keyAdmin, keyUser, auditor] = (
    await Promise.all([makeUser("ADMINISTRATOR"), makeUser("KEY_ADMINISTRATOR"), makeUser("KEY_USER"), makeUser("AUDITOR")])
  ).map((u) => u.principal);
  keyAdmin = { ...keyAdmin, sourceIp: ip, userAgent: "query-test" };
  const created = (await invokeKms("CreateKey", keyAdmin, { Description: `key with ${needle}` }, { source: "console" })) as {
    KeyMetadata: { KeyId: string; Arn: string };
  };
  keyId = created.KeyMetadata.KeyId;
  keyArn = created.KeyMetadata.Arn;
  const other = (await invokeKms("CreateKey", admin, {}, { source: "console" })) as { KeyMetadata: { KeyId: string } };
  otherKeyId = other.KeyMetadata.KeyId;
  await invokeKms("DescribeKey", keyAdmin, { KeyId: keyId }, { source: "console" });
  await invokeKms("DisableKey", keyAdmin, { KeyId: keyId }, { source: "console" });
  // Failures: a key that does not exist, an operation on a disabled key, and a denied call.
  await invokeKms("DescribeKey", keyAdmin, { KeyId: randomUUID() }, { source: "console" }).catch(() => {});
  await invokeKms("Encrypt", keyUser, { KeyId: keyId, Plaintext: new Uint8Array([1, 2, 3]) }, { source: "console" }).catch(() => {});
  await invokeKms("ScheduleKeyDeletion", keyUser, { KeyId: keyId }, { source: "console" }).catch(() => {});
  // A sign-in by someone who could not be authenticated: no ARN, only the name they typed.
  await writeAuditEvent({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    via: "console",
    readOnly: false,
    claimedIdentity: `mallory-${needle}`,
    sourceIp: "198.51.100.9",
    error: { name: "AuthenticationFailed", message: "Invalid username or password" },
  });
  // Event times have millisecond precision: keep the fixtures and the tests' own reads apart.
  await sleep(5);
  t1 = new Date();
  await sleep(5);
});

describe("queryAuditEvents", () => {
  it("lists events newest first for auditors and administrators", async () => {
    const events = await all();
    expect(events.length).toBeGreaterThanOrEqual(8);
    const times = events.map((e) => `${e.record.eventTime}|${e.id.padStart(20, "0")}`);
    expect([...times].sort().reverse()).toEqual(times);
    for (const e of events) {
      expect(e.id).toMatch(/^\d+$/);
      expect(e.chainId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(e.record.eventVersion).toBe("1.08");
    }
    expect(events.map((e) => e.record.eventName)).toEqual(expect.arrayContaining(["CreateKey", "DescribeKey", "DisableKey", "ConsoleLogin"]));
    const asAdmin = await queryAuditEvents(admin, { from: t0 }, { limit: 5 });
    expect(asAdmin.events).toHaveLength(5);
  });

  it("filters by key (ID or ARN), event name, errors and read-only", async () => {
    const byId = await all({ keyId });
    expect(byId.map((e) => e.record.eventName).sort()).toEqual(["CreateKey", "DescribeKey", "DisableKey", "Encrypt", "ScheduleKeyDeletion"]);
    expect(byId.every((e) => e.record.resources?.some((r) => r.ARN === keyArn))).toBe(true);
    expect(byId.some((e) => e.record.resources?.some((r) => r.ARN.endsWith(otherKeyId)))).toBe(false);
    expect((await all({ keyId: keyArn })).map((e) => e.id)).toEqual(byId.map((e) => e.id));
    expect((await all({ keyId: keyId.toUpperCase() })).map((e) => e.id)).toEqual(byId.map((e) => e.id));

    const creates = await all({ eventName: "CreateKey" });
    expect(creates).toHaveLength(2);
    expect(creates.every((e) => e.record.eventName === "CreateKey")).toBe(true);

    const errors = await all({ errorsOnly: true });
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(errors.every((e) => e.record.errorCode)).toBe(true);
    expect(errors.map((e) => e.record.errorCode)).toEqual(
      expect.arrayContaining(["NotFoundException", "DisabledException", "AccessDeniedException", "AuthenticationFailed"]),
    );
    const keyErrors = await all({ keyId, errorsOnly: true });
    // The key is resolved before authorization (as AWS), so the denied call names the key too.
    expect(keyErrors.map((e) => [e.record.eventName, e.record.errorCode])).toEqual([
      ["ScheduleKeyDeletion", "AccessDeniedException"],
      ["Encrypt", "DisabledException"],
    ]);

    const reads = await all({ readOnly: true });
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => e.record.readOnly)).toBe(true);
    const writes = await all({ readOnly: false });
    expect(writes.every((e) => !e.record.readOnly)).toBe(true);
    expect(reads.length + writes.length).toBe((await all()).length);
  });

  it("filters by principal (ARN or username), source IP and time", async () => {
    const byArn = await all({ principal: keyAdmin.arn });
    expect(byArn.length).toBeGreaterThanOrEqual(4);
    expect(byArn.every((e) => e.record.userIdentity.arn === keyAdmin.arn)).toBe(true);
    const byName = await all({ principal: keyAdmin.username.slice(0, 12).toUpperCase() });
    expect(byName.map((e) => e.id)).toEqual(expect.arrayContaining(byArn.map((e) => e.id)));
    // Unauthenticated callers are found by the name they claimed.
    const mallory = await all({ principal: `mallory-${needle}` });
    expect(mallory).toHaveLength(1);
    expect(mallory[0]!.record.userIdentity).toMatchObject({ type: "Unknown", userName: `mallory-${needle}` });

    const byIp = await all({ sourceIp: ip });
    expect(byIp.map((e) => e.id).sort()).toEqual(byArn.map((e) => e.id).sort());
    expect(byIp.every((e) => e.record.sourceIPAddress === ip && e.record.userAgent === "query-test")).toBe(true);

    const future = new Date(Date.now() + 60_000);
    // Scoped to this file's caller: other files (session tests) move the system clock forward.
    expect((await queryAuditEvents(auditor, { from: future, principal: keyAdmin.arn })).events).toHaveLength(0);
    const before = await queryAuditEvents(auditor, { to: new Date(t0.getTime() - 1), keyId });
    expect(before.events).toHaveLength(0);
  });

  it("searches the record text literally", async () => {
    const found = await all({ search: needle });
    expect(found.map((e) => e.record.eventName).sort()).toEqual(["ConsoleLogin", "CreateKey"]);
    expect(await all({ search: needle.toUpperCase() })).toHaveLength(2);
    // LIKE wildcards are matched as text, not as patterns.
    expect(await all({ search: "%" })).toHaveLength(0);
    expect(await all({ search: "needle_" })).toHaveLength(0);
  });

  it("pages with a keyset cursor without gaps or repeats", async () => {
    const everything = await all();
    const paged = await all({}, 2);
    expect(paged.map((e) => e.id)).toEqual(everything.map((e) => e.id));
    const first = await queryAuditEvents(auditor, { from: t0 }, { limit: 2 });
    expect(first.events).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const last = await queryAuditEvents(auditor, { from: t0, to: t1 }, { limit: 200 });
    expect(last.nextCursor).toBeUndefined();
  });

  it("rejects bad filters with ValidationException and bad cursors with InvalidMarkerException", async () => {
    for (const f of [
      { keyId: "not-a-key" },
      { keyId: "alias/" },
      { keyId: "alias/has space" },
      { from: "yesterday-ish" },
      { from: new Date(), to: new Date(Date.now() - 60_000) },
      { eventName: "Drop Table" },
      { search: "x".repeat(201) },
      { unknown: 1 } as never,
    ]) {
      expect((await rejection(queryAuditEvents(auditor, f))).name, JSON.stringify(f)).toBe("ValidationException");
    }
    expect((await rejection(queryAuditEvents(auditor, {}, { limit: 10_000 }))).name).toBe("ValidationException");
    expect((await rejection(queryAuditEvents(auditor, {}, { cursor: "garbage" }))).name).toBe("InvalidMarkerException");
  });

  it("denies key users, key administrators and users without a role", async () => {
    const { principal: nobody } = await makeUser(null, { username: uniqueName("nobody") });
    for (const p of [keyUser, keyAdmin, nobody]) {
      const e = await rejection(queryAuditEvents(p, {}));
      expect(e.name).toBe("AccessDeniedException");
      expect(e.status).toBe(403);
      expect((await rejection(auditUsage(p, { bucket: "hour", from: t0, to: new Date() }))).name).toBe("AccessDeniedException");
      expect((await rejection(auditEventById(p, "1"))).name).toBe("AccessDeniedException");
    }
    const { principal: mustChange } = await makeUser("AUDITOR", { mustChangePassword: true });
    expect((await rejection(queryAuditEvents(mustChange, {}))).name).toBe("AccessDeniedException");
  });
});

describe("auditEventById", () => {
  it("finds an event by row ID or eventID", async () => {
    const [e] = (await queryAuditEvents(auditor, { from: t0, eventName: "DisableKey" })).events;
    expect(e).toBeDefined();
    expect(await auditEventById(auditor, e!.id)).toEqual(e);
    expect(await auditEventById(auditor, e!.record.eventID)).toEqual(e);
    expect((await rejection(auditEventById(auditor, randomUUID()))).name).toBe("NotFoundException");
    expect((await rejection(auditEventById(auditor, "'; drop"))).name).toBe("NotFoundException");
  });
});

describe("auditUsage", () => {
  it("counts calls per bucket and event name, with errors", async () => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(t0.getTime() - 60_000);
    const usage = await auditUsage(auditor, { keyId, bucket: "minute", from, to });
    expect(usage.bucket).toBe("minute");
    expect(usage.buckets.length).toBeGreaterThanOrEqual(3);
    for (const b of usage.buckets) expect(new Date(b.time).getUTCSeconds()).toBe(0);
    const keyEvents = await all({ keyId });
    const total = usage.buckets.reduce((n, b) => n + b.total, 0);
    expect(total).toBe(keyEvents.length);
    expect(usage.buckets.reduce((n, b) => n + b.errors, 0)).toBe(2); // Encrypt (disabled) and ScheduleKeyDeletion (denied)
    const names = usage.buckets.flatMap((b) => b.events);
    const encrypt = names.filter((n) => n.eventName === "Encrypt");
    expect(encrypt.reduce((n, x) => n + x.errors, 0)).toBe(1);
    expect(names.find((n) => n.eventName === "CreateKey")).toMatchObject({ count: 1, errors: 0 });

    const hourly = await auditUsage(auditor, { bucket: "hour", from: new Date(Date.now() - 86_400_000), to });
    expect(hourly.buckets.length).toBeGreaterThanOrEqual(24);
    expect(hourly.buckets.reduce((n, b) => n + b.total, 0)).toBeGreaterThanOrEqual((await all()).length);
    const daily = await auditUsage(auditor, { bucket: "day", from: new Date(Date.now() - 7 * 86_400_000), to });
    expect(daily.buckets.length).toBeGreaterThanOrEqual(7);
  });

  it("bounds the number of buckets", async () => {
    const e = await rejection(auditUsage(auditor, { bucket: "minute", from: new Date(Date.now() - 30 * 86_400_000), to: new Date() }));
    expect(e.name).toBe("ValidationException");
    expect((await rejection(auditUsage(auditor, { bucket: "week" as never, from: t0, to: new Date() }))).name).toBe("ValidationException");
  });
});

describe("auditEventNames", () => {
  it("lists the distinct event names on record", async () => {
    // The listing is itself recorded (ListAuditEventNames): list once so that
    // name is on record, then compare a second listing with the table.
    await auditEventNames(auditor);
    const names = await auditEventNames(auditor);
    expect(names).toEqual(expect.arrayContaining(["ConsoleLogin", "CreateKey", "DescribeKey", "DisableKey"]));
    expect(new Set(names).size).toBe(names.length);
    const distinct = await prisma.auditEvent.findMany({ distinct: ["eventName"], select: { eventName: true } });
    expect(names.length).toBe(distinct.length);
  });
});
