// The timeline's free-text search reads a bounded number of rows per request
// (lib/audit/search-scan.ts): a rare string over a large trail comes back in
// short pages that say how far back they searched, and continuing from their
// cursor finds exactly what one unbounded scan finds, in the same order.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { queryAuditEvents, type AuditEventPage, type AuditEventView } from "@/lib/audit/query";
import { auditSummary } from "@/lib/audit/summary";
import type { Principal } from "@/lib/auth/principal";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser } from "../helpers";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const needle = `rare-${randomUUID().slice(0, 8)}`;
/** Non-matching events between the two matches: several budgets' worth. */
const FILLER = 24;
const BUDGET = 10;

let t0: Date;
let t1: Date;
let auditor: Principal;
let newest: string;
let oldest: string;

beforeAll(async () => {
  await sleep(2);
  t0 = new Date();
  const [admin, reader] = await Promise.all([makeUser("ADMINISTRATOR"), makeUser("AUDITOR")]);
  auditor = reader.principal;
  const create = async (description: string) =>
    ((await invokeKms("CreateKey", admin.principal, { Description: description }, { source: "console" })) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  oldest = await create(`${needle} oldest`);
  const filler = await create("filler key");
  for (let i = 0; i < FILLER; i++) await invokeKms("DescribeKey", admin.principal, { KeyId: filler }, { source: "console" });
  newest = await create(`${needle} newest`);
  await sleep(5);
  t1 = new Date();
  await sleep(2);
});

const filters = () => ({ from: t0, to: t1, search: needle });
/** Which of the two matching keys an event created (by the key ID in its record). */
const createdKey = (e: AuditEventView) => [newest, oldest].find((id) => JSON.stringify(e.record).includes(id));

describe("a bounded free-text search", () => {
  it("finds everything in one page when the budget covers the window", async () => {
    const page = await queryAuditEvents(auditor, filters(), { limit: 50 });
    expect(page.events.map((e) => e.record.eventName)).toEqual(["CreateKey", "CreateKey"]);
    expect(page.searchedBackTo).toBeUndefined();
    expect(page.nextCursor).toBeUndefined();
  });

  it("stops at its row budget, says how far back it searched, and continues to the same result", async () => {
    const unbounded = await queryAuditEvents(auditor, filters(), { limit: 50 });
    const pages: AuditEventPage[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryAuditEvents(auditor, filters(), { cursor, limit: 50 }, { searchScanRows: BUDGET });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);

    // 2 matches + 1 filler key + 24 DescribeKey calls (at least; other files may write in the window) at 10 rows a request.
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const found = pages.flatMap((p) => p.events);
    expect(found.map((e) => e.id)).toEqual(unbounded.events.map((e) => e.id));
    expect(found.map(createdKey)).toEqual([newest, oldest]);
    // The newest match comes with the first request; the oldest only after searching further.
    expect(pages[0]!.events.map(createdKey)).toEqual([newest]);
    // Every page but the last stopped at the budget and says where; those times only go back.
    const stops = pages.slice(0, -1).map((p) => p.searchedBackTo);
    expect(stops.every((t) => typeof t === "string")).toBe(true);
    const times = stops.map((t) => new Date(t!).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(times.every((t) => t >= t0.getTime() && t <= t1.getTime())).toBe(true);
  });

  it("a full page ends with an ordinary cursor, not a search stop", async () => {
    const page = await queryAuditEvents(auditor, filters(), { limit: 1 }, { searchScanRows: 1000 });
    expect(page.events.map(createdKey)).toEqual([newest]);
    expect(page.nextCursor).toBeDefined();
    expect(page.searchedBackTo).toBeUndefined();
    const rest = await queryAuditEvents(auditor, filters(), { cursor: page.nextCursor, limit: 1 }, { searchScanRows: 1000 });
    expect(rest.events.map(createdKey)).toEqual([oldest]);
  });

  it("the summary of a search counts the matches it read", async () => {
    const summary = await auditSummary(auditor, filters());
    expect(summary.total).toBe(2);
    expect(summary.searchedBackTo).toBeUndefined();
  });
});
