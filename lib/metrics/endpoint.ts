// GET /metrics: the Prometheus text exposition of this process (or, in a
// cluster worker, of all workers: lib/metrics/cluster.ts). With a token
// configured it answers only `Authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { metricsRegistry } from "./index";

export interface Exposition {
  contentType: string;
  text: string;
}

const g = globalThis as unknown as { keyholdMetricsSource?: () => Promise<Exposition> };

const local = async (): Promise<Exposition> => ({ contentType: metricsRegistry().contentType, text: await metricsRegistry().metrics() });

/** Where the exposition comes from: this process by default, the cluster primary in a worker. */
export function setMetricsSource(source: () => Promise<Exposition>): void {
  g.keyholdMetricsSource = source;
}

export const metricsExposition = (): Promise<Exposition> => (g.keyholdMetricsSource ?? local)();

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time check of `Authorization: Bearer <token>` (hashed first, so lengths do not leak either). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(token));
}

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="keyhold-metrics"', "cache-control": "no-store" });
    res.end("Unauthorized: /metrics needs Authorization: Bearer <KEYHOLD_METRICS_TOKEN>\n");
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
    res.end("Use GET /metrics.\n");
    return;
  }
  let exposition: Exposition;
  try {
    exposition = await metricsExposition();
  } catch (e) {
    res.writeHead(503, { "content-type": "text/plain", "cache-control": "no-store" });
    res.end(`Metrics unavailable: ${(e as Error).message}\n`);
    return;
  }
  res.writeHead(200, { "content-type": exposition.contentType, "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : exposition.text);
}
