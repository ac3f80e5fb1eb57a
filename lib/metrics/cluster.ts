// Cluster mode (KEYHOLD_API_WORKERS > 1): the workers share one port, so a
// scrape lands on any one of them. That worker asks the primary, which
// collects every worker's metrics (prom-client's AggregatorRegistry: counters
// and histograms summed) and sends the total back: one scrape sees all workers.
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { setMetricsSource, type Exposition } from "./endpoint";
import { metricsRegistry } from "./index";

const REQUEST = "keyhold:metrics-request";
const RESPONSE = "keyhold:metrics-response";
const TIMEOUT_MS = 6_000; // prom-client gives up on a silent worker after 5 s

interface Request {
  type: typeof REQUEST;
  id: number;
}
interface Response {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary: answers a worker's request with every worker's metrics added up. */
export function aggregateWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry(); // also listens for the workers' answers
  cluster.on("message", (worker: Worker, message: Request) => {
    if (message?.type !== REQUEST) return;
    const reply = (r: Omit<Response, "type" | "id">) => {
      if (worker.isConnected()) worker.send({ type: RESPONSE, id: message.id, ...r });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (e: Error) => reply({ error: e.message }),
    );
  });
}

/** In a worker: answer the primary's collection with this worker's registry, and serve /metrics from the primary. */
export function serveAggregatedMetrics(): void {
  AggregatorRegistry.setRegistries([metricsRegistry()]);
  new AggregatorRegistry(); // installs the listener that answers the primary
  const waiting = new Map<number, { resolve(e: Exposition): void; reject(e: Error): void }>();
  let next = 0;
  process.on("message", (message: Response) => {
    if (message?.type !== RESPONSE) return;
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) w?.resolve({ contentType: metricsRegistry().contentType, text: message.text });
    else w?.reject(new Error(message.error ?? "no answer from the primary"));
  });
  setMetricsSource(
    () =>
      new Promise<Exposition>((resolve, reject) => {
        const id = next++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error("the cluster primary did not answer in time"));
        }, TIMEOUT_MS);
        waiting.set(id, {
          resolve: (e) => (clearTimeout(timer), resolve(e)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        process.send!({ type: REQUEST, id } satisfies Request);
      }),
  );
}
