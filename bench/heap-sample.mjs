// Preloaded into the API server by `BENCH_HEAP_PROFILE=1 node bench/hot-path.mjs` (--import): V8's
// sampling heap profiler, garbage included (what a request allocates, not what it keeps), switched on
// and off by SIGUSR2 so that only the measured window is sampled. The profile is written to the path in
// KEYHOLD_BENCH_HEAP_PROFILE (through a temporary name, so the bench never reads half a file).
import inspector from "node:inspector";
import { renameSync, writeFileSync } from "node:fs";

const out = process.env.KEYHOLD_BENCH_HEAP_PROFILE;
if (out) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post("HeapProfiler.enable");
  let sampling = false;
  process.on("SIGUSR2", () => {
    sampling = !sampling;
    const step = sampling
      ? post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
      : post("HeapProfiler.stopSampling").then(({ profile }) => {
          writeFileSync(`${out}.part`, JSON.stringify(profile));
          renameSync(`${out}.part`, out);
        });
    step.catch((e) => process.stderr.write(`heap sampling failed: ${e}\n`));
  });
}
