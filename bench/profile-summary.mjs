// Where a CPU profile (node --cpu-prof) spent its time: each sample is charged
// to the nearest frame in Keyhold's own code (lib/…), so library and runtime
// work lands on the module that asked for it. Used by `BENCH_PROFILE=1 npm run bench`;
// also runnable alone: node bench/profile-summary.mjs FILE.cpuprofile [seconds at the end] [rows]
import { readFileSync } from "node:fs";

export function summarizeProfile(file, { lastSeconds = 0, rows = 25 } = {}) {
  const p = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const from = lastSeconds ? p.endTime - lastSeconds * 1e6 : -Infinity;
  const owners = new Map();
  let total = 0;
  let time = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    time += p.timeDeltas[i] ?? 0;
    if (time < from) continue;
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    let id = p.samples[i];
    const leaf = byId.get(id).callFrame;
    let owner;
    for (; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id).callFrame;
      const m = cf.url.includes("/node_modules/") ? null : /\/(lib\/(?!db\/generated)[^?]+)$/.exec(cf.url);
      if (m) {
        owner = `${cf.functionName || "(anonymous)"} (${m[1]})`;
        break;
      }
    }
    owner ??= leaf.functionName.startsWith("(") ? leaf.functionName : `runtime: ${leaf.functionName || "?"}`;
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
  }
  return [...owners.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([owner, us]) => ({ owner, percent: Math.round((1000 * us) / total) / 10 }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, lastSeconds = "0", rows = "25"] = process.argv.slice(2);
  for (const r of summarizeProfile(file, { lastSeconds: Number(lastSeconds), rows: Number(rows) })) {
    console.log(`${String(r.percent).padStart(5)}%  ${r.owner}`);
  }
}
