// Reads a Keyhold /metrics scrape (Prometheus text format) into numbers, and
// summarises what the server itself measured between two scrapes. Used by
// `npm run bench` (bench/run.mjs) and by the metrics tests.

/** Parses the exposition: one entry per sample line, `{ name, labels, value }`. */
export function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
export function sumOf(samples, name, labels = {}) {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

/** The cumulative bucket counts of a histogram (summed over other labels), by upper bound. */
function buckets(samples, name, labels) {
  const byLe = new Map();
  for (const s of samples) {
    if (s.name !== `${name}_bucket` || !Object.entries(labels).every(([k, v]) => s.labels[k] === v)) continue;
    const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return [...byLe].sort((a, b) => a[0] - b[0]);
}

/** A quantile from the bucket counts that grew between two scrapes (linear inside the bucket, as Prometheus does). */
export function quantileBetween(before, after, name, q, labels = {}) {
  const start = new Map(buckets(before, name, labels));
  const grown = buckets(after, name, labels).map(([le, n]) => [le, n - (start.get(le) ?? 0)]);
  const total = grown.at(-1)?.[1] ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of grown) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(count - prevCount, 1e-9);
    }
    prevLe = le;
    prevCount = count;
  }
  return undefined;
}

const delta = (before, after, name, labels) => sumOf(after, name, labels) - sumOf(before, name, labels);

/** What the server measured between two scrapes of its /metrics (texts). */
export function serverSideSummary(beforeText, afterText) {
  const before = parseMetrics(beforeText);
  const after = parseMetrics(afterText);
  const ms = (s) => (s === undefined ? undefined : Math.round(s * 100_000) / 100);
  const requests = delta(before, after, "keyhold_api_requests_total");
  const batches = delta(before, after, "keyhold_audit_batch_size_count");
  const commitSeconds = delta(before, after, "keyhold_audit_commit_duration_seconds_sum");
  return {
    requests,
    ok: delta(before, after, "keyhold_api_requests_total", { outcome: "ok" }),
    p50ms: ms(quantileBetween(before, after, "keyhold_api_request_duration_seconds", 0.5)),
    p99ms: ms(quantileBetween(before, after, "keyhold_api_request_duration_seconds", 0.99)),
    auditBatches: batches,
    auditBatchMean: batches ? Math.round((delta(before, after, "keyhold_audit_batch_size_sum") / batches) * 10) / 10 : undefined,
    auditCommitMeanMs: batches ? ms(commitSeconds / batches) : undefined,
  };
}
