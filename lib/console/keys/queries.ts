// Server-side reads for the console's key pages. AWS ListKeys cannot search,
// filter or sort, so the console reads the tables directly, after the same
// authorization the matching KMS operation performs.
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { describeAlgorithms, type KeySpec, type KeyUsage } from "@/lib/crypto";
import { prisma, type Prisma } from "@/lib/db/client";
import { NotFoundException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { audited, noteKey } from "@/lib/audit";
import { assertSafeText } from "@/lib/errors/text";
import { authorizeKeyAction, authorizeKms, decideKeyAction, type KeyConditionSubject } from "@/lib/kms/authorize";
import { kmsContext } from "@/lib/kms/context";
import { invokeKms } from "@/lib/kms/invoke";
import { normalizeKeyListParams } from "./list-params";
import { keyListCount, keyListPageIds, keyListSearch, searchesText } from "./list-query";
import type { KeyDashboard, KeyDetail, KeyListPage, KeyListParams, KeyPrincipal, KeyRow, PolicyPrincipal } from "./types";

const MAX_ON_DEMAND_ROTATIONS = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function toRow(arn: (id: string) => string, k: {
  id: string;
  description: string;
  keyState: string;
  keySpec: string;
  keyUsage: string;
  createdAt: Date;
  deletionDate: Date | null;
  rotationEnabled: boolean;
  nextRotationDate: Date | null;
  aliases: Array<{ name: string }>;
}): KeyRow {
  return {
    id: k.id,
    arn: arn(k.id),
    aliases: k.aliases.map((a) => a.name),
    description: k.description,
    keyState: k.keyState,
    keySpec: k.keySpec,
    keyUsage: k.keyUsage,
    createdAt: k.createdAt.toISOString(),
    deletionDate: iso(k.deletionDate),
    rotationEnabled: k.rotationEnabled && k.keyState !== "PendingDeletion",
    nextRotationDate: k.rotationEnabled ? iso(k.nextRotationDate) : null,
  };
}

const rowSelect = {
  id: true,
  description: true,
  keyState: true,
  keySpec: true,
  keyUsage: true,
  createdAt: true,
  deletionDate: true,
  rotationEnabled: true,
  nextRotationDate: true,
  aliases: { select: { name: true }, orderBy: { name: "asc" }, take: 10 },
} satisfies Prisma.KmsKeySelect;

/** As the console's reads are recorded: one read-only event per call, like the KMS operation they stand for. */
/** The calls that count as using a key, by its usage. */
export const USE_ACTIONS: Record<string, string[]> = {
  ENCRYPT_DECRYPT: ["kms:Encrypt", "kms:Decrypt"],
  SIGN_VERIFY: ["kms:Sign", "kms:Verify"],
  GENERATE_VERIFY_MAC: ["kms:GenerateMac", "kms:VerifyMac"],
  KEY_AGREEMENT: ["kms:DeriveSharedSecret"],
};

async function someAllowed(actions: string[], may: (action: string) => Promise<boolean>): Promise<boolean> {
  for (const a of actions) if (await may(a)) return true;
  return false;
}

const auditedConsoleRead = <T>(eventName: string, caller: Principal, request: unknown, read: () => Promise<T>) =>
  audited({ eventName, caller, via: "console", request, readOnly: true }, read);

/**
 * One page of keys, searched, filtered and sorted (in SQL: list-query.ts), and
 * how many keys match; recorded as ListKeys. Listing needs kms:ListKeys (identity
 * policies, as AWS); a row's description is DescribeKey's to give, so it is
 * withheld from rows whose key policy does not let the caller describe the key.
 * A search matches only what the caller may read: a description only where it
 * may DescribeKey, tags only where it may ListResourceTags (else a search
 * would recover a hidden description one character at a time).
 */
export function listConsoleKeys(caller: Principal, params: KeyListParams): Promise<KeyListPage> {
  return auditedConsoleRead("ListKeys", caller, params, async () => {
    authorizeKms(caller, "kms:ListKeys");
    assertSafeText(params);
    const view = normalizeKeyListParams(params);
    const ctx = await kmsContext();
    const may = async (action: string, k: KeyConditionSubject) => (await decideKeyAction(caller, action, ctx, k)).decision.allowed;
    let ids: string[];
    let total: number;
    if (searchesText(view) || view.usable) {
      const readable: string[] = [];
      for (const m of await keyListSearch(view)) {
        if (searchesText(view)) {
          const byTags = async () => m.byTags && (await may("kms:ListResourceTags", m));
          const found = view.tag
            ? (await may("kms:ListResourceTags", m)) && (!view.q || m.open || (m.byDescription && (await may("kms:DescribeKey", m))) || (await byTags()))
            : m.open || (m.byDescription && (await may("kms:DescribeKey", m))) || (await byTags());
          if (!found) continue;
        }
        // "Keys I can use": the same decision the key's cryptographic calls get (key policy, roles, grants).
        if (view.usable && !(await someAllowed(USE_ACTIONS[m.keyUsage] ?? [], (a) => may(a, m)))) continue;
        readable.push(m.id);
      }
      total = readable.length;
      ids = readable.slice((view.page - 1) * view.pageSize, view.page * view.pageSize);
    } else {
      [ids, total] = await Promise.all([keyListPageIds(view), keyListCount(view)]);
    }
    const rows = ids.length
      ? await prisma.kmsKey.findMany({ where: { id: { in: ids } }, select: { ...rowSelect, origin: true, policy: true } })
      : [];
    const byId = new Map(rows.map((k) => [k.id, k]));
    // In the page's order; a key deleted between the two reads just drops out.
    const keys: KeyRow[] = [];
    for (const id of ids) {
      const k = byId.get(id);
      if (!k) continue;
      const describable = await may("kms:DescribeKey", k);
      keys.push(describable ? toRow(ctx.keyArn, k) : { ...toRow(ctx.keyArn, k), description: "", restricted: true });
    }
    return { keys, total, page: view.page, pageSize: view.pageSize };
  });
}

/** Everything the key page shows, in one read. */
export function getConsoleKey(caller: Principal, keyId: string): Promise<KeyDetail> {
  return auditedConsoleRead("DescribeKey", caller, { KeyId: keyId }, () => readConsoleKey(caller, keyId));
}

async function readConsoleKey(caller: Principal, keyId: string): Promise<KeyDetail> {
  // Per-key reads are decided as the KMS operation would be: key policy + identity policies + grants
  // (a principal named in the key policy needs no role), not by the caller's role alone.
  const ctx = await kmsContext();
  const key = UUID.test(keyId)
    ? await prisma.kmsKey.findUnique({
        where: { id: keyId },
        include: {
          aliases: { orderBy: { name: "asc" } },
          tags: { orderBy: { tagKey: "asc" } },
          customKeyStore: { select: { id: true, name: true, clusterId: true, connectionState: true } },
        },
      })
    : null;
  if (!key || key.deletedAt) throw new NotFoundException(messages.keyNotFound(ctx.keyArn(keyId)));
  noteKey(ctx.keyArn(key.id));
  // As DescribeKey: the key policy (with the caller's identity policies) decides, once the key is found.
  await authorizeKeyAction(caller, "kms:DescribeKey", ctx, key);
  const algorithms = describeAlgorithms(key.keySpec as KeySpec, key.keyUsage as KeyUsage);
  let rotations: KeyDetail["rotations"] = [];
  if (key.keySpec === "SYMMETRIC_DEFAULT" && key.origin === "AWS_KMS") {
    const r = (await invokeKms("ListKeyRotations", caller, { KeyId: key.id, Limit: 1000 }, { source: "console" })) as {
      Rotations: Array<{ KeyMaterialId: string; KeyMaterialState: string; RotationDate?: Date; RotationType?: string }>;
    };
    rotations = r.Rotations.map((x) => ({ ...x, RotationDate: x.RotationDate ? new Date(x.RotationDate).toISOString() : undefined }));
  }
  return {
    ...toRow(ctx.keyArn, key),
    origin: key.origin,
    keyStore: key.customKeyStore,
    accountId: ctx.account,
    region: ctx.region,
    aliasArns: Object.fromEntries(key.aliases.map((a) => [a.name, ctx.aliasArn(a.name)])),
    tags: key.tags.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })),
    encryptionAlgorithms: algorithms.EncryptionAlgorithms ?? [],
    signingAlgorithms: algorithms.SigningAlgorithms ?? [],
    macAlgorithms: algorithms.MacAlgorithms ?? [],
    keyAgreementAlgorithms: algorithms.KeyAgreementAlgorithms ?? [],
    pendingWindowInDays: key.pendingWindowInDays,
    rotationPeriodInDays: key.rotationEnabled ? key.rotationPeriodInDays : null,
    onDemandRotations: key.onDemandRotations,
    onDemandRotationLimit: MAX_ON_DEMAND_ROTATIONS,
    currentVersion: key.currentVersion,
    // As GetKeyPolicy: the policy text only for callers the key policy lets read it ("" otherwise).
    policy: (await decideKeyAction(caller, "kms:GetKeyPolicy", ctx, key)).decision.allowed ? key.policy : "",
    rotations,
  };
}

/** Users who may be named key administrators or key users (for the create-key wizard); recorded as ListUsers. */
export function listKeyPrincipals(caller: Principal): Promise<KeyPrincipal[]> {
  return audited(
    { eventName: "ListUsers", eventSource: "iam.amazonaws.com", caller, via: "console", request: { view: "create-key" }, readOnly: true, recordedResponse: (r) => ({ users: (r as unknown[]).length }) },
    () => readKeyPrincipals(caller),
  );
}

async function readKeyPrincipals(caller: Principal): Promise<KeyPrincipal[]> {
  authorizeKms(caller, "kms:CreateKey");
  const ctx = await kmsContext();
  const users = await prisma.user.findMany({
    where: { disabled: false, role: { not: null } },
    orderBy: { username: "asc" },
    select: { id: true, username: true, role: true },
    take: 1000,
  });
  return users.map((u) => ({ id: u.id, username: u.username, role: u.role ?? "", arn: `arn:aws:iam::${ctx.account}:user/${u.username}` }));
}

/** Whether an alias name is free; when taken, CreateAlias's AlreadyExistsException message. Recorded as ListAliases. */
export function aliasAvailability(caller: Principal, aliasName: string): Promise<{ available: boolean; message?: string }> {
  return auditedConsoleRead("ListAliases", caller, { aliasName }, () => readAliasAvailability(caller, aliasName));
}

async function readAliasAvailability(caller: Principal, aliasName: string): Promise<{ available: boolean; message?: string }> {
  authorizeKms(caller, "kms:ListAliases");
  const ctx = await kmsContext();
  const existing = await prisma.alias.findUnique({ where: { name: aliasName }, select: { name: true } });
  if (!existing) return { available: true };
  return { available: false, message: `An alias with the name ${ctx.aliasArn(aliasName)} already exists` };
}

/** Counts for the dashboard, and keys that need attention soon. */
export function keyDashboard(caller: Principal): Promise<KeyDashboard> {
  return auditedConsoleRead("ListKeys", caller, { view: "dashboard" }, () => readKeyDashboard(caller));
}

async function readKeyDashboard(caller: Principal): Promise<KeyDashboard> {
  authorizeKms(caller, "kms:ListKeys");
  const soon = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const [byState, bySpec, rotationDue, pendingDeletion] = await Promise.all([
    prisma.kmsKey.groupBy({ by: ["keyState"], where: { deletedAt: null }, _count: { _all: true } }),
    prisma.kmsKey.groupBy({ by: ["keySpec"], where: { deletedAt: null }, _count: { _all: true } }),
    prisma.kmsKey.findMany({
      where: { deletedAt: null, rotationEnabled: true, keyState: "Enabled", nextRotationDate: { lte: soon } },
      orderBy: [{ nextRotationDate: "asc" }],
      take: 10,
      select: { id: true, nextRotationDate: true, aliases: { select: { name: true }, take: 3 } },
    }),
    prisma.kmsKey.findMany({
      where: { deletedAt: null, keyState: "PendingDeletion" },
      orderBy: [{ deletionDate: "asc" }],
      take: 10,
      select: { id: true, deletionDate: true, aliases: { select: { name: true }, take: 3 } },
    }),
  ]);
  const count = (rows: Array<{ _count: { _all: number } } & Record<string, unknown>>, field: string) =>
    Object.fromEntries(rows.map((r) => [String(r[field]), r._count._all]));
  const states = count(byState, "keyState");
  return {
    total: Object.values(states).reduce((a, b) => a + b, 0),
    byState: states,
    bySpec: count(bySpec, "keySpec"),
    rotationDue: rotationDue.map((k) => ({ id: k.id, aliases: k.aliases.map((a) => a.name), nextRotationDate: k.nextRotationDate!.toISOString() })),
    pendingDeletion: pendingDeletion.map((k) => ({ id: k.id, aliases: k.aliases.map((a) => a.name), deletionDate: k.deletionDate!.toISOString() })),
  };
}

/**
 * Users who may be named in a key's policy (the policy tab's people pickers):
 * every enabled user, roles or not — a key policy can give a user with no role
 * access to one key. Only for callers who may change that key's policy
 * (PutKeyPolicy), and only what the picker shows: name and ARN. Recorded as
 * ListUsers, allowed or denied.
 */
export function listKeyPolicyPrincipals(caller: Principal, keyId: string): Promise<PolicyPrincipal[]> {
  return audited(
    { eventName: "ListUsers", eventSource: "iam.amazonaws.com", caller, via: "console", request: { keyId, purpose: "KeyPolicyPrincipals" }, readOnly: true },
    async () => {
      const ctx = await kmsContext();
      const key = UUID.test(keyId) ? await prisma.kmsKey.findUnique({ where: { id: keyId } }) : null;
      if (!key || key.deletedAt) throw new NotFoundException(messages.keyNotFound(ctx.keyArn(keyId)));
      noteKey(ctx.keyArn(key.id));
      await authorizeKeyAction(caller, "kms:PutKeyPolicy", ctx, key);
      const users = await prisma.user.findMany({ where: { disabled: false }, orderBy: { username: "asc" }, select: { username: true }, take: 1000 });
      return users.map((u) => ({ username: u.username, arn: `arn:aws:iam::${ctx.account}:user/${u.username}` }));
    },
  );
}
