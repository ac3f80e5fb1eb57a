// What durable audit costs: Encrypt through the key service in one process,
// concurrency 32, once through invokeKms (authorization + audit event
// committed before the answer, as every door calls it) and once calling the
// Encrypt operation itself (authorization, no audit). No HTTP, no SigV4: the
// difference is the audit trail alone. Run by `npm run bench` (bench/run.mjs)
// against the same database; prints one JSON line.
import { configureAndBoot } from "@/lib/runtime/start";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const { booted } = await configureAndBoot("Keyhold audit benchmark");
const { operatorPrincipal } = await import("@/lib/auth/principal");
const { invokeKms } = await import("@/lib/kms/invoke");
const { kmsOperations } = await import("@/lib/kms");

const caller = operatorPrincipal(booted.account);
const meta = { source: "cli" as const };
const created = (await invokeKms("CreateKey", caller, { Description: "audit cost benchmark" }, meta)) as { KeyMetadata: { KeyId: string } };
const input = { KeyId: created.KeyMetadata.KeyId, Plaintext: Buffer.alloc(32, 7) };

async function measure(name: string, call: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await call(); // warm caches and the JIT
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await call();
        done++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { name, opsPerSec: Math.round(done / seconds), cpuMicrosPerCall: Math.round((used.user + used.system) / done) };
}

const withAudit = await measure("Encrypt via invokeKms (audited)", () => invokeKms("Encrypt", caller, input, meta));
const withoutAudit = await measure("Encrypt operation alone (not audited)", () => kmsOperations.Encrypt!(caller, input));
console.log(JSON.stringify({ withAudit, withoutAudit, auditCostRatio: Math.round((withAudit.opsPerSec / withoutAudit.opsPerSec) * 1000) / 1000 }));
await booted.close();
process.exit(0);
