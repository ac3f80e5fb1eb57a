// `keyhold demo seed`: a believable installation to explore — keys of every
// kind with aliases, tags and descriptions, some disabled / pending deletion /
// rotated, users of each role, and a week of traffic including denied and
// failed calls (lib/demo/traffic.ts).
// Everything goes through the real service layer, so it is audited like any
// other call; demo calls carry the user agent DEMO_USER_AGENT and demo keys
// the tag demo=true. Idempotent: keys are found by alias, users by name, and
// the traffic is made once (a marker in the Setting table).
import { authorize } from "@/lib/access/authorize";
import { createUser } from "@/lib/accounts/users";
import { audited } from "@/lib/audit";
import { operatorPrincipal, userPrincipal, type Principal } from "@/lib/auth/principal";
import { prisma, type Role } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { accountId } from "@/lib/settings/account";
import { playDemoWeek, type TrafficResult } from "./traffic";

export const DEMO_USER_AGENT = "keyhold-demo-seed/1";
const TRAFFIC_MARKER = "demo.trafficSeeded";

const USERS: Array<{ username: string; role: Role }> = [
  { username: "demo-admin", role: "ADMINISTRATOR" },
  { username: "demo-key-admin", role: "KEY_ADMINISTRATOR" },
  { username: "demo-payments-app", role: "KEY_USER" },
  { username: "demo-reports-app", role: "KEY_USER" },
  { username: "demo-auditor", role: "AUDITOR" },
];

type DemoState = "enabled" | "disabled" | "pending-deletion" | "rotated";
interface DemoKey {
  alias: string;
  spec: string;
  usage: string;
  description: string;
  tags: Record<string, string>;
  state?: DemoState;
  rotation?: boolean;
}

export const DEMO_KEYS: DemoKey[] = [
  { alias: "alias/demo/payments-db", spec: "SYMMETRIC_DEFAULT", usage: "ENCRYPT_DECRYPT", description: "Encrypts card tokens in the payments database", tags: { team: "payments", env: "prod" }, rotation: true, state: "rotated" },
  { alias: "alias/demo/customer-pii", spec: "SYMMETRIC_DEFAULT", usage: "ENCRYPT_DECRYPT", description: "Envelope key for customer personal data", tags: { team: "crm", env: "prod", dataClass: "pii" }, rotation: true },
  { alias: "alias/demo/backups", spec: "SYMMETRIC_DEFAULT", usage: "ENCRYPT_DECRYPT", description: "Nightly database backups", tags: { team: "platform", env: "prod" } },
  { alias: "alias/demo/legacy-reports", spec: "SYMMETRIC_DEFAULT", usage: "ENCRYPT_DECRYPT", description: "Old reporting pipeline (being retired)", tags: { team: "reports", env: "prod" }, state: "disabled" },
  { alias: "alias/demo/staging-scratch", spec: "SYMMETRIC_DEFAULT", usage: "ENCRYPT_DECRYPT", description: "Staging experiments, no longer needed", tags: { team: "platform", env: "staging" }, state: "pending-deletion" },
  { alias: "alias/demo/invoice-signing", spec: "RSA_3072", usage: "SIGN_VERIFY", description: "Signs PDF invoices", tags: { team: "billing", env: "prod" } },
  { alias: "alias/demo/partner-exchange", spec: "RSA_2048", usage: "ENCRYPT_DECRYPT", description: "Partners encrypt uploads to this public key", tags: { team: "integrations", env: "prod" } },
  { alias: "alias/demo/jwt-signing", spec: "ECC_NIST_P256", usage: "SIGN_VERIFY", description: "Signs session tokens (ES256)", tags: { team: "identity", env: "prod" } },
  { alias: "alias/demo/wallet", spec: "ECC_SECG_P256K1", usage: "SIGN_VERIFY", description: "Signs settlement transactions", tags: { team: "treasury", env: "prod" } },
  { alias: "alias/demo/device-attestation", spec: "ECC_NIST_EDWARDS25519", usage: "SIGN_VERIFY", description: "Attests device firmware", tags: { team: "iot", env: "prod" } },
  { alias: "alias/demo/webhook-mac", spec: "HMAC_256", usage: "GENERATE_VERIFY_MAC", description: "Authenticates outgoing webhooks", tags: { team: "integrations", env: "prod" } },
  { alias: "alias/demo/pq-code-signing", spec: "ML_DSA_65", usage: "SIGN_VERIFY", description: "Post-quantum release signing (pilot)", tags: { team: "security", env: "pilot" } },
];

export interface DemoSeedResult {
  keysCreated: number;
  keysPresent: number;
  usersCreated: Array<{ username: string; role: Role; generatedPassword?: string }>;
  /** Calls of the demo week made by this run (0 when an earlier run made them), and how many of them were denied or failed. */
  trafficCalls: number;
  deniedCalls: number;
  failedCalls: number;
}

type Caller = Principal;
const call = (op: string, caller: Caller, input: unknown) => invokeKms(op, caller, input, { source: "cli" });

async function demoPrincipal(username: string, ip: string): Promise<Principal> {
  const user = await prisma.user.findUniqueOrThrow({ where: { username } });
  return userPrincipal(await accountId(), user, { sourceIp: ip, userAgent: DEMO_USER_AGENT });
}

async function ensureUsers(creator: Principal): Promise<DemoSeedResult["usersCreated"]> {
  const operator = { ...creator, userAgent: DEMO_USER_AGENT };
  const created: DemoSeedResult["usersCreated"] = [];
  for (const u of USERS) {
    if (await prisma.user.findUnique({ where: { username: u.username }, select: { id: true } })) continue;
    // Service accounts: no password exists (none to show or leak); they act through the service as the demo's people and apps.
    const r = await createUser(operator, { username: u.username, role: u.role, serviceAccount: true });
    created.push({ username: u.username, role: u.role, generatedPassword: r.generatedPassword });
  }
  return created;
}

async function ensureKey(admin: Caller, k: DemoKey): Promise<{ keyId: string; created: boolean }> {
  const existing = await prisma.alias.findUnique({ where: { name: k.alias }, select: { keyId: true } });
  if (existing) return { keyId: existing.keyId, created: false };
  const tags = Object.entries({ ...k.tags, demo: "true" }).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  const { KeyMetadata } = (await call("CreateKey", admin, { KeySpec: k.spec, KeyUsage: k.usage, Description: k.description, Tags: tags })) as {
    KeyMetadata: { KeyId: string };
  };
  const keyId = KeyMetadata.KeyId;
  await call("CreateAlias", admin, { AliasName: k.alias, TargetKeyId: keyId });
  if (k.rotation) await call("EnableKeyRotation", admin, { KeyId: keyId });
  if (k.state === "rotated") await call("RotateKeyOnDemand", admin, { KeyId: keyId });
  if (k.state === "disabled") await call("DisableKey", admin, { KeyId: keyId });
  if (k.state === "pending-deletion") await call("ScheduleKeyDeletion", admin, { KeyId: keyId, PendingWindowInDays: 30 });
  return { keyId, created: true };
}

/** A week of use by the apps and people, denied and failed calls included (lib/demo/traffic.ts). */
async function traffic(keys: Map<string, string>): Promise<TrafficResult> {
  const callers = {
    payments: await demoPrincipal("demo-payments-app", "10.20.1.15"),
    reports: await demoPrincipal("demo-reports-app", "10.20.4.31"),
    keyAdmin: await demoPrincipal("demo-key-admin", "192.168.10.7"),
    auditor: await demoPrincipal("demo-auditor", "192.168.10.23"),
  };
  return playDemoWeek(callers, (name) => keys.get(`alias/demo/${name}`)!);
}

/**
 * Seeds as `caller` (an administrator, or the operator when omitted). The
 * decision to seed is itself one audited call (SeedDemoData, denials
 * included); the users, keys and traffic it makes are each audited as usual.
 */
export async function seedDemo(caller?: Principal): Promise<DemoSeedResult> {
  const seeder = caller ?? operatorPrincipal(await accountId());
  await audited({ eventName: "SeedDemoData", eventSource: "keyhold.console", caller: seeder, via: seeder.kind === "operator" ? "cli" : "console", readOnly: true }, async () =>
    authorize(seeder, "keyhold:SeedDemoData", ["ADMINISTRATOR"]),
  );
  const usersCreated = await ensureUsers(seeder);
  const admin = await demoPrincipal("demo-admin", "192.168.10.5");
  const keys = new Map<string, string>();
  let keysCreated = 0;
  for (const k of DEMO_KEYS) {
    const r = await ensureKey(admin, k);
    keys.set(k.alias, r.keyId);
    if (r.created) keysCreated++;
  }
  let played: TrafficResult = { calls: 0, denied: 0, failed: 0 };
  // Claimed before the traffic: a second seed (or one running at the same time) makes none.
  const claimed = await prisma.setting.createMany({ data: [{ key: TRAFFIC_MARKER, value: new Date().toISOString() }], skipDuplicates: true });
  if (claimed.count === 1) played = await traffic(keys);
  return { keysCreated, keysPresent: DEMO_KEYS.length, usersCreated, trafficCalls: played.calls, deniedCalls: played.denied, failedCalls: played.failed };
}
