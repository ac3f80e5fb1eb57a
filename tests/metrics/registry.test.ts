// The metrics registry in process: the per-operation figures become correct
// Prometheus samples, outcomes map from exception names, the bearer check,
// and every metric the shipped Grafana dashboard and Prometheus alert rules
// use exists (so a renamed metric cannot silently empty a panel or an alert).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { metricsRegistry, outcomeOf, recordApiCall, recordAuditVerification, recordCacheLookup } from "@/lib/metrics";
import { bearerMatches } from "@/lib/metrics/endpoint";
import { parseMetrics, sumOf } from "../../bench/metrics-scrape.mjs";

const scrape = async () => parseMetrics(await metricsRegistry().metrics());

describe("metrics registry", () => {
  it("maps answers to outcomes", () => {
    expect(outcomeOf()).toBe("ok");
    expect(outcomeOf({ name: "AccessDeniedException", status: 400 })).toBe("denied");
    expect(outcomeOf({ name: "ThrottlingException", status: 400 })).toBe("throttled");
    expect(outcomeOf({ name: "NotFoundException", status: 400 })).toBe("client_error");
    expect(outcomeOf({ name: "KMSInternalException", status: 500 })).toBe("server_error");
  });

  it("exposes per-operation counts and a cumulative latency histogram", async () => {
    const before = await scrape();
    recordApiCall("Sign", "ok", 0.0007); // the 0.001 bucket
    recordApiCall("Sign", "denied", 0.003); // the 0.005 bucket
    recordApiCall("Sign", "ok", 20); // above the last bucket: +Inf only
    const after = await scrape();
    const d = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(d("keyhold_api_requests_total", { operation: "Sign", outcome: "ok" })).toBe(2);
    expect(d("keyhold_api_requests_total", { operation: "Sign", outcome: "denied" })).toBe(1);
    expect(sumOf(after, "keyhold_api_requests_total", { operation: "Sign", outcome: "throttled" })).toBe(0); // present, zero
    expect(after.some((s) => s.name === "keyhold_api_requests_total" && s.labels.operation === "Sign" && s.labels.outcome === "server_error")).toBe(true);
    const bucket = (le: string) => d("keyhold_api_request_duration_seconds_bucket", { operation: "Sign", le });
    expect([bucket("0.0005"), bucket("0.001"), bucket("0.0025"), bucket("0.005"), bucket("10"), bucket("+Inf")]).toEqual([0, 1, 1, 2, 2, 3]);
    expect(d("keyhold_api_request_duration_seconds_count", { operation: "Sign" })).toBe(3);
    expect(d("keyhold_api_request_duration_seconds_sum", { operation: "Sign" })).toBeCloseTo(20.0037, 6);
  });

  it("counts cache lookups and verifications, the failed series present from the start", async () => {
    const before = await scrape();
    expect(before.some((s) => s.name === "keyhold_audit_verifications_total" && s.labels.result === "failed")).toBe(true);
    recordCacheLookup("material", true);
    recordCacheLookup("material", false);
    recordCacheLookup("material", false);
    recordAuditVerification(false);
    const after = await scrape();
    const d = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(d("keyhold_cache_lookups_total", { cache: "material", result: "hit" })).toBe(1);
    expect(d("keyhold_cache_lookups_total", { cache: "material", result: "miss" })).toBe(2);
    expect(d("keyhold_audit_verifications_total", { result: "failed" })).toBe(1);
  });

  it("checks the bearer token exactly", () => {
    const token = "0123456789abcdef-token";
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token} `, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token.slice(0, -1)}`, token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
  });
});

describe("docs/grafana-dashboard.json and docs/prometheus-alerts.yml", () => {
  const dashboard = JSON.parse(readFileSync("docs/grafana-dashboard.json", "utf8")) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const alerts = readFileSync("docs/prometheus-alerts.yml", "utf8");
  const alertExprs = [...alerts.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1]!);

  it("has one single-line expr per alert rule", () => {
    expect(alertExprs.length).toBeGreaterThan(5);
    expect(alertExprs.length).toBe([...alerts.matchAll(/^\s+- alert: /gm)].length);
    expect(dashboardExprs.length).toBeGreaterThan(10);
  });

  it("uses only metrics and labels the registry has", async () => {
    const families = await metricsRegistry().getMetricsAsJSON();
    const names = new Set<string>();
    for (const f of families) {
      names.add(f.name);
      if (String(f.type) === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(f.name + suffix);
    }
    // le of histograms; instance and job are added by Prometheus.
    const labels = new Set(["le", "instance", "job", ...metricsRegistry().getMetricsAsArray().flatMap((m) => (m as { labelNames?: string[] }).labelNames ?? [])]);

    for (const expr of [...dashboardExprs, ...alertExprs]) {
      for (const [name] of expr.matchAll(/\b(?:keyhold|process|nodejs)_[a-z0-9_]+/g)) expect(names, `${name} in ${expr}`).toContain(name);
      for (const [, list] of expr.matchAll(/\bby \(([^)]*)\)/g)) for (const l of list!.split(/,\s*/)) expect(labels, `label ${l} in ${expr}`).toContain(l);
      for (const [, l] of expr.matchAll(/[{,]\s*([a-z_]+)=~?"/g)) expect(labels, `label ${l} in ${expr}`).toContain(l);
    }
  });
});
