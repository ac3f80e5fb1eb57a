// Types of bench/metrics-scrape.mjs (imported by the metrics tests).
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export function parseMetrics(text: string): Sample[];
export function sumOf(samples: Sample[], name: string, labels?: Record<string, string>): number;
export function quantileBetween(before: Sample[], after: Sample[], name: string, q: number, labels?: Record<string, string>): number | undefined;
export function serverSideSummary(
  beforeText: string,
  afterText: string,
): {
  requests: number;
  ok: number;
  p50ms: number | undefined;
  p99ms: number | undefined;
  auditBatches: number;
  auditBatchMean: number | undefined;
  auditCommitMeanMs: number | undefined;
};
