// CPU accounting for one measured window, read from /proc (Linux): the server's
// process tree, every PostgreSQL process, the load generator (this process)
// and the machine (busy and steal). Figures are CPU time, not wall time, so
// they stay meaningful on a shared host where throughput does not.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux build we run on

function statOf(pid) {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may hold spaces and parentheses: fields resume after the last ')'.
    const close = raw.lastIndexOf(")");
    const comm = raw.slice(raw.indexOf("(") + 1, close);
    const f = raw.slice(close + 2).split(" ");
    return { pid, comm, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined; // exited between readdir and read
  }
}

function processes() {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = statOf(name);
    if (s) out.push(s);
  }
  return out;
}

function treeOf(rootPid, all) {
  const children = new Map();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const seen = [];
  const stack = all.filter((p) => p.pid === String(rootPid));
  while (stack.length) {
    const p = stack.pop();
    seen.push(p);
    stack.push(...(children.get(Number(p.pid)) ?? []));
  }
  return seen;
}

function machine() {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu;
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal: steal ?? 0 };
}

/**
 * Snapshot now; call `.end(requests)` after the window to get CPU µs per request
 * for each party and the machine's busy/steal shares. Processes that exit during
 * the window lose their last ticks (none do in the benchmark).
 */
export function cpuWindow(serverPid) {
  const all = processes();
  const serverStart = new Map(treeOf(serverPid, all).map((p) => [p.pid, p.ticks]));
  const pgStart = new Map(all.filter((p) => p.comm === "postgres").map((p) => [p.pid, p.ticks]));
  const self = process.cpuUsage();
  const m0 = machine();
  const t0 = performance.now();
  return {
    end(requests) {
      const seconds = (performance.now() - t0) / 1000;
      const now = processes();
      const delta = (list, start) => list.reduce((sum, p) => sum + p.ticks - (start.get(p.pid) ?? 0), 0);
      const tree = treeOf(serverPid, now);
      const serverTicks = delta(tree, serverStart);
      const pgTicks = delta(now.filter((p) => p.comm === "postgres"), pgStart);
      const loadgen = process.cpuUsage(self);
      const m1 = machine();
      const total = m1.busy + m1.idle + m1.steal - (m0.busy + m0.idle + m0.steal);
      const us = (ticks) => (requests ? Math.round(((ticks / TICKS_PER_SECOND) * 1e6) / requests) : null);
      return {
        seconds: Math.round(seconds * 100) / 100,
        serverCpuMicrosPerRequest: us(serverTicks),
        postgresCpuMicrosPerRequest: us(pgTicks),
        loadGeneratorCpuMicrosPerRequest: requests ? Math.round((loadgen.user + loadgen.system) / requests) : null,
        serverCores: Math.round((serverTicks / TICKS_PER_SECOND / seconds) * 100) / 100,
        machineBusyPercent: total ? Math.round(((m1.busy - m0.busy) / total) * 1000) / 10 : null,
        machineStealPercent: total ? Math.round(((m1.steal - m0.steal) / total) * 1000) / 10 : null,
        // Each process of the server's tree (cluster mode: the primary first, then its workers).
        serverProcesses: tree
          .map((p) => ({ pid: Number(p.pid), primary: p.pid === String(serverPid), ticks: p.ticks - (serverStart.get(p.pid) ?? 0) }))
          .sort((a, b) => Number(b.primary) - Number(a.primary) || a.pid - b.pid)
          .map(({ pid, primary, ticks }) => ({ pid, primary, cpuMicrosPerRequest: us(ticks), cores: Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100 })),
      };
    },
  };
}

/** Resident memory of a process tree in MB (now and the peak of each process, summed). */
export function residentMemory(rootPid) {
  let rssKb = 0;
  let peakKb = 0;
  for (const p of treeOf(rootPid, processes())) {
    try {
      const status = readFileSync(`/proc/${p.pid}/status`, "utf8");
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakKb += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {}
  }
  return { rssMB: Math.round(rssKb / 1024), peakMB: Math.round(peakKb / 1024) };
}
