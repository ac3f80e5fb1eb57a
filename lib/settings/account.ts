// Installation identity: the 12-digit account ID and the region, which every
// ARN carries. The account ID is generated once and stored in the database so
// every instance and every restart agree.
import { randomInt } from "node:crypto";
import { config } from "@/lib/config";
import { prisma } from "@/lib/db/client";

const ACCOUNT_KEY = "account_id";
let cachedAccountId: string | undefined;

function randomAccountId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 12) id += String(randomInt(0, 10));
  return id;
}

/** The account ID: KEYHOLD_ACCOUNT_ID when set, else the stored one (created on first call). */
export async function accountId(): Promise<string> {
  if (cachedAccountId) return cachedAccountId;
  const fromEnv = config().accountId;
  if (fromEnv) return (cachedAccountId = fromEnv);
  const stored = await prisma.setting.findUnique({ where: { key: ACCOUNT_KEY } });
  if (stored) return (cachedAccountId = stored.value);
  // Two instances starting at once: the first insert wins, the other reads it.
  await prisma.setting.createMany({ data: [{ key: ACCOUNT_KEY, value: randomAccountId() }], skipDuplicates: true });
  const row = await prisma.setting.findUniqueOrThrow({ where: { key: ACCOUNT_KEY } });
  return (cachedAccountId = row.value);
}

export function region(): string {
  return config().region;
}
