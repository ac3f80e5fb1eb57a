// Prometheus metrics of this process (served at /metrics, lib/metrics/endpoint.ts).
// A base module like lib/log: the layers above call its small hooks, it
// imports nothing of Keyhold. Labels are fixed words or known operation names,
// never a key ID, a principal or anything a caller chooses (cardinality and
// privacy).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from "prom-client";

export type Outcome = "ok" | "client_error" | "denied" | "throttled" | "server_error";

/** The outcome label of an answer, from its KMS exception name and HTTP status (none: success). */
export function outcomeOf(error?: { name: string; status: number }): Outcome {
  if (!error) return "ok";
  if (error.name === "AccessDeniedException") return "denied";
  if (error.name === "ThrottlingException") return "throttled";
  return error.status >= 500 ? "server_error" : "client_error";
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const OUTCOMES: readonly Outcome[] = ["ok", "client_error", "denied", "throttled", "server_error"];

/**
 * The per-request figures of one operation as plain numbers: a request adds
 * to them without building or hashing a label set (prom-client does that on
 * every inc/observe); they become samples only when /metrics is scraped.
 */
class OperationStats {
  readonly outcomes: Record<Outcome, number> = { ok: 0, client_error: 0, denied: 0, throttled: 0, server_error: 0 };
  readonly buckets = new Array<number>(LATENCY_BUCKETS.length).fill(0); // not cumulative; above the last: count only
  sum = 0;
  count = 0;

  record(outcome: Outcome, seconds: number) {
    this.outcomes[outcome]++;
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        this.buckets[i]!++;
        break;
      }
    }
  }
}

/** keyhold_api_request_duration_seconds in prom-client's collected form (summed across workers like any histogram). */
function apiDurationHistogram(stats: Map<string, OperationStats>, name: string, help: string): Metric {
  const get = async () => {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const [operation, st] of stats) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += st.buckets[i]!;
        values.push({ labels: { operation, le }, value: cumulative, metricName: `${name}_bucket` });
      });
      values.push({ labels: { operation, le: "+Inf" }, value: st.count, metricName: `${name}_bucket` });
      values.push({ labels: { operation }, value: st.sum, metricName: `${name}_sum` });
      values.push({ labels: { operation }, value: st.count, metricName: `${name}_count` });
    }
    return { name, help, type: "histogram", values, aggregator: "sum" };
  };
  return { name, help, type: "histogram", aggregator: "sum", labelNames: ["operation"], get } as unknown as Metric;
}

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const probes: {
    auditQueueDepth: () => number;
    pools: () => Record<string, { totalCount: number; idleCount: number; waitingCount: number } | undefined>;
  } = { auditQueueDepth: () => 0, pools: () => ({}) };
  const operations = new Map<string, OperationStats>();
  const cacheCounts = { key: { hit: 0, miss: 0 }, material: { hit: 0, miss: 0 } };
  new Counter({
    name: "keyhold_api_requests_total",
    help: "KMS API requests by operation and outcome (ok, client_error, denied, throttled, server_error).",
    labelNames: ["operation", "outcome"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [operation, st] of operations) for (const outcome of OUTCOMES) this.inc({ operation, outcome }, st.outcomes[outcome]);
    },
  });
  registry.registerMetric(
    apiDurationHistogram(operations, "keyhold_api_request_duration_seconds", "KMS API request latency by operation, from the request's arrival to the answer sent."),
  );
  new Counter({
    name: "keyhold_cache_lookups_total",
    help: "Key row and key material cache lookups by cache (key, material) and result (hit, miss).",
    labelNames: ["cache", "result"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [cache, c] of Object.entries(cacheCounts)) for (const [result, n] of Object.entries(c)) this.inc({ cache, result }, n);
    },
  });
  const m = {
    registry,
    probes,
    operations,
    cacheCounts,
    consoleRequests: new Counter({
      name: "keyhold_console_requests_total",
      help: "Console server actions and route handlers by kind (action, route) and outcome.",
      labelNames: ["kind", "outcome"] as const,
      registers: [registry],
    }),
    auditBatchSize: new Histogram({
      name: "keyhold_audit_batch_size",
      help: "Audit events per group commit.",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [registry],
    }),
    auditCommitDuration: new Histogram({
      name: "keyhold_audit_commit_duration_seconds",
      help: "Time to insert and witness one group-commit batch of audit events.",
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    auditWriteFailures: new Counter({
      name: "keyhold_audit_write_failures_total",
      help: "Group-commit batches that could not be written (their calls failed closed).",
      registers: [registry],
    }),
    auditVerifications: new Counter({
      name: "keyhold_audit_verifications_total",
      help: "Audit chain verifications run in this process, by result (ok, failed).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    schedulerRuns: new Counter({
      name: "keyhold_scheduler_runs_total",
      // "task", not "job": Prometheus's own target label is called job.
      help: "Key scheduler runs (deletion sweeper, rotation, import expiry, audit retention) by task and result.",
      labelNames: ["task", "result"] as const,
      registers: [registry],
    }),
    schedulerItems: new Counter({
      name: "keyhold_scheduler_items_total",
      help: "Keys or rows the key scheduler processed, by task.",
      labelNames: ["task"] as const,
      registers: [registry],
    }),
  };
  new Gauge({
    name: "keyhold_audit_queue_depth",
    help: "Audit events waiting for the next group commit.",
    registers: [registry],
    collect() {
      this.set(probes.auditQueueDepth());
    },
  });
  new Gauge({
    name: "keyhold_db_pool_connections",
    help: "Database pool connections by pool (main, audit) and state (in_use, idle).",
    labelNames: ["pool", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, p] of Object.entries(probes.pools())) {
        if (!p) continue;
        this.set({ pool, state: "in_use" }, p.totalCount - p.idleCount);
        this.set({ pool, state: "idle" }, p.idleCount);
      }
    },
  });
  new Gauge({
    name: "keyhold_db_pool_waiting",
    help: "Queries waiting for a free connection, by pool (main, audit).",
    labelNames: ["pool"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, p] of Object.entries(probes.pools())) if (p) this.set({ pool }, p.waitingCount);
    },
  });
  // Both results from the start: an alert on increase(...{result="failed"}) needs the series before the first failure.
  m.auditVerifications.inc({ result: "ok" }, 0);
  m.auditVerifications.inc({ result: "failed" }, 0);
  return m;
}

// On globalThis: the console (Next's bundle) and the server share one process and one registry.
const g = globalThis as unknown as { keyholdMetrics?: ReturnType<typeof createMetrics> };
export const metrics = (): ReturnType<typeof createMetrics> => (g.keyholdMetrics ??= createMetrics());

/** The registry /metrics serves. */
export const metricsRegistry = (): Registry => metrics().registry;

/**
 * Counts one KMS API call. `operation` must be a known operation name (or
 * "Unknown"): it becomes a label.
 */
export function recordApiCall(operation: string, outcome: Outcome, seconds: number): void {
  const { operations } = metrics();
  let stats = operations.get(operation);
  if (!stats) operations.set(operation, (stats = new OperationStats()));
  stats.record(outcome, seconds);
}

export function recordConsoleCall(kind: "action" | "route", outcome: Outcome): void {
  metrics().consoleRequests.labels(kind, outcome).inc();
}

export function recordCacheLookup(cache: "key" | "material", hit: boolean): void {
  const c = metrics().cacheCounts[cache];
  if (hit) c.hit++;
  else c.miss++;
}

/** One group commit of `events` audit events that took `seconds` (failed: not written). */
export function recordAuditCommit(events: number, seconds: number, failed = false): void {
  const m = metrics();
  if (failed) return m.auditWriteFailures.inc();
  m.auditBatchSize.observe(events);
  m.auditCommitDuration.observe(seconds);
}

export function recordAuditVerification(ok: boolean): void {
  metrics().auditVerifications.inc({ result: ok ? "ok" : "failed" });
}

/** One key scheduler job run; `job` is one of the scheduler's fixed job names. */
export function recordSchedulerRun(job: string, items: number | undefined): void {
  const m = metrics();
  m.schedulerRuns.labels(job, items === undefined ? "error" : "ok").inc();
  if (items) m.schedulerItems.labels(job).inc(items);
}

/** How the audit writer's queue depth is read at scrape time. */
export function watchAuditQueue(depth: () => number): void {
  metrics().probes.auditQueueDepth = depth;
}

/** How the database pools are found at scrape time (they are replaced after a disconnect). */
export function watchDatabasePools(pools: () => Record<string, { totalCount: number; idleCount: number; waitingCount: number } | undefined>): void {
  metrics().probes.pools = pools;
}
