import { invokeKms } from "@/lib/kms/invoke";
import { kmsOperations } from "@/lib/kms";
import { operatorPrincipal } from "@/lib/auth/principal";
import { accountId } from "@/lib/settings/account";
import { prisma } from "@/lib/db/client";
import { writeAuditEvent } from "@/lib/audit";

async function main() {
  const caller = operatorPrincipal(await accountId());
  const { KeyMetadata } = (await kmsOperations.CreateKey(caller, {})) as { KeyMetadata: { KeyId: string } };
  const input = { KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array(32) };
  for (const [name, fn] of [
    ["findUnique only", () => prisma.kmsKey.findUnique({ where: { id: KeyMetadata.KeyId } })],
    ["raw select", () => prisma.$queryRaw`SELECT * FROM "KmsKey" WHERE id = ${KeyMetadata.KeyId}::uuid`],
    ["audit event only", () => writeAuditEvent({ eventName: "Encrypt", caller, via: "api", readOnly: true, request: { KeyId: "x" } })],
    ["direct Encrypt", () => kmsOperations.Encrypt(caller, input)],
    ["invokeKms Encrypt (audited)", () => invokeKms("Encrypt", caller, input, { source: "api" })],
  ] as const) {
    const N = 3000; let done = 0; const t = performance.now();
    await Promise.all(Array.from({ length: 32 }, async () => { while (done < N) { done++; await fn(); } }));
    console.log(name.padEnd(30), Math.round(N / ((performance.now() - t) / 1000)), "ops/s");
  }
  await prisma.$disconnect();
}
main();
