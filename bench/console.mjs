#!/usr/bin/env node
// `npm run bench:console`: how fast the console's busiest pages show their
// first rows at scale — 10,000 keys and 1,000,000 audit events.
//
//  1. a fresh PostgreSQL database next to DATABASE_URL, migrated like production
//  2. keys through SQL (bench/seed-keys.mjs), audit events through SQL
//     (bench/seed-audit.mjs), naming the seeded keys; VACUUM ANALYZE
//  3. the built server (`npm start`: builds first when the build is stale)
//  4. Chromium (Debian's, as the e2e config) signs in as the administrator and
//     times, BENCH_CONSOLE_RUNS times each (a fresh navigation every time, once
//     the previous page's requests have finished): key list first rows, audit
//     timeline first rows, a key page, its activity tab, the dashboard
//     (stat tiles and the calls-per-minute chart)
//  5. prints the table: first (cold) run, median, min, max; and the data call
//     behind each page (the server's share)
//
// Never part of `npm test`; tests never assert on time. PostgreSQL only.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import pg from "pg";
import { freshDatabase, migrate } from "./fresh-database.mjs";
import { freePort, waitFor } from "./server-process.mjs";
import { benchPrincipals, seedAuditEvents } from "./seed-audit.mjs";
import { BENCH_ACCOUNT_ID, seededKeyIds, seedKeys } from "./seed-keys.mjs";

const KEYS = Number(process.env.BENCH_CONSOLE_KEYS ?? 10_000);
const EVENTS = Number(process.env.BENCH_CONSOLE_EVENTS ?? 1_000_000);
/** Keys the seeded traffic uses (real traffic concentrates on a minority of keys). */
const BUSY_KEYS = Math.min(KEYS, Number(process.env.BENCH_CONSOLE_BUSY_KEYS ?? 1000));
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 7);
const TARGET_MS = 1000;
const ADMIN = { username: "admin", password: "bench console admin password" };
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Reuse the database a previous run seeded (`<name>_bench_console`): to iterate on a fix without seeding again. */
const REUSE = process.env.BENCH_CONSOLE_REUSE === "1";
/** Print each page's requests (start offset and duration) for the last run: where the time goes. */
const TRACE = process.env.BENCH_CONSOLE_TRACE === "1";

if (!process.env.DATABASE_URL) {
  console.error("bench:console needs DATABASE_URL (a PostgreSQL server): a million audit events are not measured on the embedded database.");
  process.exit(2);
}

const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

async function seed(url) {
  migrate(url);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    let t0 = performance.now();
    const keyIds = await seedKeys(db, { count: KEYS });
    console.error(`seeded ${KEYS.toLocaleString("en")} keys in ${seconds(t0)} s`);
    t0 = performance.now();
    // The newest keys are the busy ones (the oldest are mostly idle, as in a long-lived installation).
    const busy = keyIds.slice(-BUSY_KEYS);
    await seedAuditEvents(db, { events: EVENTS, keyIds: busy, principals: benchPrincipals(25) });
    console.error(`seeded ${EVENTS.toLocaleString("en")} audit events over ${busy.length} keys in ${seconds(t0)} s`);
    t0 = performance.now();
    await db.query("VACUUM ANALYZE");
    console.error(`VACUUM ANALYZE in ${seconds(t0)} s`);
    return { keyIds, busy };
  } finally {
    await db.end();
  }
}

function startServer(databaseUrl, port, dataDir) {
  let log = "";
  const server = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: `http://localhost:${port}`,
      KEYHOLD_DATA_DIR: dataDir,
      KEYHOLD_ACCOUNT_ID: BENCH_ACCOUNT_ID,
      KEYHOLD_ADMIN_USER: ADMIN.username,
      KEYHOLD_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  return { server, log: () => log };
}

/** The page's requests that finished while `during` ran: path, start offset and duration (ms), for TRACE. */
async function requestsDuring(page, t0, during) {
  const seen = [];
  const onFinished = (request) => {
    const t = request.timing();
    const url = new URL(request.url());
    if (url.pathname.startsWith("/_next/static")) return;
    seen.push({ path: url.pathname + (url.search.length > 1 ? "?…" : ""), method: request.method(), startMs: Math.round(t.startTime - t0), ms: Math.round(t.responseEnd) });
  };
  page.on("requestfinished", onFinished);
  try {
    return { value: await during(), requests: seen };
  } finally {
    page.off("requestfinished", onFinished);
  }
}

/**
 * Resolves once the page has had no request in flight for `quietMs` (the
 * live-updates stream, open for as long as the page is, does not count):
 * each page is timed from a settled server, not while the previous page's
 * background calls (chain check, summary, charts) still run.
 */
function settled(page, quietMs = 300) {
  const inFlight = new Set();
  const counts = (r) => !new URL(r.url()).pathname.startsWith("/api/events");
  const add = (r) => counts(r) && inFlight.add(r);
  const done = (r) => inFlight.delete(r);
  page.on("request", add);
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return {
    async wait() {
      let quietSince = performance.now();
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        if (inFlight.size > 0) quietSince = performance.now();
        else if (performance.now() - quietSince >= quietMs) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      page.off("request", add);
      page.off("requestfinished", done);
      page.off("requestfailed", done);
    },
  };
}

/**
 * Times one page: from `start` (a navigation or a click) until `ready` is
 * visible; with the server's share: the page's HTML (document request) and
 * the data call behind it (`api`: a path prefix), when the browser made one
 * before the rows showed (none when they came with the HTML).
 */
async function timePage(page, start, ready, api) {
  const wallStart = Date.now();
  const t0 = performance.now();
  const { requests } = await requestsDuring(page, wallStart, async () => {
    await start();
    for (const locator of ready()) await locator.waitFor({ state: "visible", timeout: 60_000 });
  });
  const total = performance.now() - t0;
  const document = requests.find((r) => r.method === "GET" && !r.path.startsWith("/api/") && !r.path.includes("?") && r.startMs < 100);
  const data = requests.find((r) => r.method === "GET" && r.path.startsWith(api));
  return { total, html: document?.ms ?? NaN, api: data?.ms ?? NaN, requests };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en") : "–");

async function measure(baseURL, keyId) {
  const browser = await chromium.launch({
    ...(existsSync(CHROMIUM) ? { executablePath: CHROMIUM } : {}),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
    ],
  });
  try {
    const page = await (await browser.newContext({ baseURL })).newPage();
    await page.goto("/login");
    await page.getByLabel("Username").fill(ADMIN.username);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signed-in-user").waitFor({ timeout: 60_000 });
    const main = page.getByRole("main");
    const go = (url) => () => page.goto(url, { waitUntil: "commit" });
    const pages = {
      // The stat tiles come with the HTML (ListKeys counts, the denied-calls summary); the chart fetches its usage.
      dashboard: () => timePage(page, go("/"), () => [main.getByTestId("dashboard-total"), main.getByTestId("usage-chart")], "/api/audit/usage"),
      "key list, first rows": () => timePage(page, go("/keys"), () => [main.locator('[data-testid^="key-row-"]').first()], "/api/keys"),
      "audit timeline, first rows": () => timePage(page, go("/audit"), () => [main.getByTestId("audit-event-row").first()], "/api/audit/events"),
      "key page": () => timePage(page, go(`/keys/${keyId}`), () => [main.getByTestId("key-title")], `/api/keys/${keyId}`),
      "key page, activity tab": async () => {
        const quiet = settled(page);
        await page.goto(`/keys/${keyId}`);
        await main.getByTestId("key-title").waitFor();
        await quiet.wait();
        const tab = () => main.getByRole("tab", { name: "Activity" }).click();
        return timePage(page, tab, () => [main.getByTestId("audit-event-row").first(), main.getByTestId("usage-chart")], "/api/audit/events");
      },
    };
    const results = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const [name, time] of Object.entries(pages)) {
        const quiet = settled(page);
        results[name].push(await time());
        await quiet.wait();
      }
      console.error(`run ${run + 1}/${RUNS}: ${Object.entries(results).map(([n, r]) => `${n} ${ms(r.at(-1).total)} ms`).join(", ")}`);
    }
    if (TRACE) {
      for (const [name, runs] of Object.entries(results)) {
        console.error(`\n${name}, last run (${ms(runs.at(-1).total)} ms): requests, start → duration`);
        for (const r of runs.at(-1).requests.sort((a, b) => a.startMs - b.startMs)) console.error(`  ${String(r.startMs).padStart(5)} ms → ${String(r.ms).padStart(5)} ms  ${r.method} ${r.path}`);
      }
    }
    return results;
  } finally {
    await browser.close();
  }
}

const cleanup = [];
try {
  let databaseUrl;
  let busy;
  if (REUSE) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${url.pathname.slice(1) || "keyhold"}_bench_console`;
    databaseUrl = url.toString();
    busy = seededKeyIds(KEYS).slice(-BUSY_KEYS);
  } else {
    databaseUrl = await freshDatabase(process.env.DATABASE_URL, "bench_console");
    ({ busy } = await seed(databaseUrl));
  }
  const port = await freePort();
  // The data folder (root key) goes with the database: kept for a reuse, fresh otherwise.
  const dataDir = join(tmpdir(), "keyhold-bench-console");
  if (!REUSE) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { server, log } = startServer(databaseUrl, port, dataDir);
  cleanup.push(() => server.kill("SIGTERM"));
  const baseURL = `http://localhost:${port}`;
  let t0 = performance.now();
  await waitFor(`${baseURL}/readyz`, server, log, { timeoutMs: 300_000, intervalMs: 250 }); // a stale build is rebuilt first
  console.error(`server ready in ${seconds(t0)} s; measuring ${RUNS} runs …`);
  // The busiest key: the last one the seeded traffic names.
  const results = await measure(baseURL, busy.at(-1));

  console.log(`\n${KEYS.toLocaleString("en")} keys, ${EVENTS.toLocaleString("en")} audit events (over ${busy.length} keys), PostgreSQL, ${RUNS} runs each`);
  console.log(`| page | first run ms | median ms | min ms | max ms | HTML median ms | data call median ms | < ${TARGET_MS} ms |`);
  console.log("|---|---:|---:|---:|---:|---:|---:|:---:|");
  const summary = {};
  for (const [name, runs] of Object.entries(results)) {
    const totals = runs.map((r) => r.total);
    const m = median(totals);
    // A share the browser never waited for (rows with the HTML; no HTML for a tab's click) is "–".
    const share = (field) => {
      const xs = runs.map((r) => r[field]).filter(Number.isFinite);
      return xs.length ? median(xs) : NaN;
    };
    summary[name] = { firstMs: Math.round(totals[0]), medianMs: Math.round(m), htmlMedianMs: Math.round(share("html")) || null, dataCallMedianMs: Math.round(share("api")) || null };
    console.log(`| ${name} | ${ms(totals[0])} | ${ms(m)} | ${ms(Math.min(...totals))} | ${ms(Math.max(...totals))} | ${ms(share("html"))} | ${ms(share("api"))} | ${m < TARGET_MS ? "yes" : "**no**"} |`);
  }
  console.log("\n" + JSON.stringify({ keys: KEYS, events: EVENTS, busyKeys: busy.length, runs: RUNS, pages: summary }, null, 2));
} finally {
  for (const fn of cleanup.reverse()) await fn();
}
