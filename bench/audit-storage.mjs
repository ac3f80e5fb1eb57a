#!/usr/bin/env node
// `npm run bench:audit-storage`: what an audit event costs on disk at steady
// state, and whether the timeline's queries stay fast at that size.
//
// Fills a fresh database (migrated like production) with BENCH_AUDIT_EVENTS
// (default 1,000,000) CloudTrail-shaped events (bench/seed-audit.mjs: records
// stored as the writer stores them, 60 keys, 25 principals, a month's
// spread, 3 % errors), then prints table + index bytes per event, what the
// record codec costs per event, and EXPLAIN ANALYZE of the queries the
// console's timeline, usage chart and summary run (lib/audit/query.ts).
// PostgreSQL only (DATABASE_URL). Never part of `npm test`.
import pg from "pg";
import { freshDatabase, migrate } from "./fresh-database.mjs";
import { decodeRecord, encodeRecord } from "../lib/db/audit-record-codec.mjs";
import { seedAuditEvents } from "./seed-audit.mjs";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
if (!process.env.DATABASE_URL) {
  console.error("bench:audit-storage needs DATABASE_URL (a PostgreSQL server); the embedded database is not measured.");
  process.exit(2);
}
const url = await freshDatabase(process.env.DATABASE_URL, "bench_audit_storage");
migrate(url);

const db = new pg.Client({ connectionString: url });
await db.connect();
const t0 = performance.now();
// One chain per 100,000 events (a restart or a cluster worker starts a new one).
// The record text has the shape and size of a real Encrypt/Decrypt event.
await seedAuditEvents(db, { events: EVENTS });
await db.query(`VACUUM ANALYZE "AuditEvent"`);
const fillSeconds = (performance.now() - t0) / 1000;

const size = (
  await db.query(
    `SELECT pg_table_size('"AuditEvent"') AS heap, pg_indexes_size('"AuditEvent"') AS indexes, count(*)::bigint AS n,
            avg(COALESCE(octet_length(body), octet_length(record)))::int AS "storedRecordBytes" FROM "AuditEvent"`,
  )
).rows[0];
const indexes = (
  await db.query(`SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS bytes FROM pg_index WHERE indrelid = '"AuditEvent"'::regclass ORDER BY 2 DESC`)
).rows;
const n = Number(size.n);
const perEvent = (bytes) => Math.round(Number(bytes) / n);

// The queries the console runs (lib/audit/query.ts), with values from the data.
const key = "0000002a-1111-4111-8111-111111111111";
const principal = "arn:aws:iam::111122223333:user/app-7";
const queries = {
  "timeline, first page": `SELECT id, "chainId"::text, "chainSeq", encode(hash, 'hex'), "eventId", record, body, "eventTime" FROM "AuditEvent" ORDER BY "eventTime" DESC, id DESC LIMIT 51`,
  "timeline, one key": `SELECT id, "eventId", record, body, "eventTime" FROM "AuditEvent" WHERE "keyId" = '${key}' ORDER BY "eventTime" DESC, id DESC LIMIT 51`,
  "timeline, one principal": `SELECT id, "eventId", record, body, "eventTime" FROM "AuditEvent" WHERE "principalArn" = '${principal}' ORDER BY "eventTime" DESC, id DESC LIMIT 51`,
  "timeline, errors only": `SELECT id, "eventId", record, body, "eventTime" FROM "AuditEvent" WHERE "errorCode" IS NOT NULL ORDER BY "eventTime" DESC, id DESC LIMIT 51`,
  "timeline, one operation, last week": `SELECT id, "eventId", record, body, "eventTime" FROM "AuditEvent" WHERE "eventName" = 'ReEncrypt' AND "eventTime" >= now() - interval '7 days' ORDER BY "eventTime" DESC, id DESC LIMIT 51`,
  "usage chart, one key, 7 days by hour": `SELECT date_trunc('hour', "eventTime") AS t, "eventName", count(*)::int, (count(*) FILTER (WHERE "errorCode" IS NOT NULL))::int FROM "AuditEvent" WHERE "eventTime" >= now() - interval '7 days' AND "keyId" = '${key}' GROUP BY 1, 2 ORDER BY 1, 2`,
  "who used a key last week (principal × outcome)": `SELECT "principalArn", "errorCode" IS NULL AS ok, count(*), max("eventTime") FROM "AuditEvent" WHERE "keyId" = '${key}' AND "eventTime" >= now() - interval '7 days' GROUP BY 1, 2`,
};
const plans = {};
for (const [name, sql] of Object.entries(queries)) {
  const plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`)).rows[0]["QUERY PLAN"][0];
  plans[name] = { ms: Math.round(plan["Execution Time"] * 10) / 10, top: plan.Plan["Node Type"], plan };
}
// What the record codec costs per event (the write path deflates, readers inflate).
const sampleRows = (await db.query(`SELECT "eventId"::text AS "eventId", body FROM "AuditEvent" WHERE body IS NOT NULL ORDER BY id DESC LIMIT 2000`)).rows;
const sample = sampleRows.map((r) => decodeRecord(r));
const sampleIds = sampleRows.map((r) => r.eventId);
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
let c0 = cpu();
const encoded = [];
for (let round = 0; round < 5; round++) sample.forEach((text, i) => encoded.push(encodeRecord(text, sampleIds[i])));
const encodeUs = (cpu() - c0) / encoded.length;
c0 = cpu();
encoded.forEach((body, i) => decodeRecord({ body, eventId: sampleIds[i % sample.length] }));
const decodeUs = (cpu() - c0) / encoded.length;
const codec = {
  textBytes: Math.round(sample.reduce((a, t) => a + Buffer.byteLength(t), 0) / sample.length),
  storedBytes: Math.round(encoded.slice(0, sample.length).reduce((a, b) => a + b.length, 0) / sample.length),
  encodeUs: Math.round(encodeUs * 10) / 10,
  decodeUs: Math.round(decodeUs * 10) / 10,
};
await db.end();

console.log(`\n${n.toLocaleString("en")} events, stored record ${size.storedRecordBytes} bytes on average (filled in ${fillSeconds.toFixed(0)} s)`);
console.log(`record codec: ${codec.textBytes} bytes of text → ${codec.storedBytes} stored; deflate ${codec.encodeUs} µs, inflate ${codec.decodeUs} µs per record (CPU, this process)`);
console.log("| on disk | bytes per event |\n|---|---:|");
console.log(`| table (heap + TOAST) | ${perEvent(size.heap)} |`);
for (const i of indexes) console.log(`| index ${i.name} | ${perEvent(i.bytes)} |`);
console.log(`| **total** | **${perEvent(Number(size.heap) + Number(size.indexes))}** |`);
console.log("\n| timeline query at this size | ms (EXPLAIN ANALYZE) | plan |\n|---|---:|---|");
for (const [name, p] of Object.entries(plans)) console.log(`| ${name} | ${p.ms} | ${p.top} |`);
console.log(
  "\n" +
    JSON.stringify(
      {
        events: n,
        storedRecordBytes: size.storedRecordBytes,
        codec,
        bytesPerEvent: { table: perEvent(size.heap), indexes: perEvent(size.indexes), total: perEvent(Number(size.heap) + Number(size.indexes)) },
        indexes: Object.fromEntries(indexes.map((i) => [i.name, perEvent(i.bytes)])),
        queriesMs: Object.fromEntries(Object.entries(plans).map(([k, v]) => [k, v.ms])),
      },
      null,
      2,
    ),
);
