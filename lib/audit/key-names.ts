// Names people know keys and callers by, for the audit views: the aliases of
// the keys on a page of events, and suggestions for the Key and Principal
// filters. Suggestions are audit-trail reads (administrators and auditors), audited.
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { authorizeAuditRead } from "./access";
import { AUDIT_READ_EVENTS, auditedTrailRead } from "./audited-read";
import { likePattern } from "./filters";

/** key ID → its alias names (sorted); keys without an alias are left out. */
export type KeyAliases = Record<string, string[]>;

const UUID_IN = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The current aliases of keys given by ID or ARN. */
export async function aliasesOfKeys(keys: string[]): Promise<KeyAliases> {
  const ids = [...new Set(keys.map((k) => UUID_IN.exec(k)?.[1]?.toLowerCase()).filter((k): k is string => !!k))];
  if (ids.length === 0) return {};
  const rows = await prisma.alias.findMany({ where: { keyId: { in: ids } }, select: { name: true, keyId: true }, orderBy: { name: "asc" } });
  const out: KeyAliases = {};
  for (const r of rows) (out[r.keyId] ??= []).push(r.name);
  return out;
}

export interface FilterSuggestions {
  keys: Array<{ value: string; keyId: string }>;
  principals: Array<{ value: string; label: string }>;
}

const MAX_SUGGESTIONS = 20;

/** Aliases and key IDs, and usernames, matching what was typed (case-insensitive). Recorded as ListAuditFilterSuggestions. */
export function auditFilterSuggestions(caller: Principal, input: { key?: string; principal?: string }): Promise<FilterSuggestions> {
  const key = String(input.key ?? "").trim().slice(0, 256);
  const principal = String(input.principal ?? "").trim().slice(0, 256);
  return auditedTrailRead(AUDIT_READ_EVENTS.suggestions, caller, { key, principal }, async () => {
    authorizeAuditRead(caller);
    const [aliases, keyIds, users] = await Promise.all([
      input.key === undefined
        ? []
        : prisma.alias.findMany({
            where: { name: { contains: key.replace(/^alias\//, ""), mode: "insensitive" } },
            select: { name: true, keyId: true },
            orderBy: { name: "asc" },
            take: MAX_SUGGESTIONS,
          }),
      input.key === undefined || !/^[0-9a-f-]{2,36}$/i.test(key)
        ? []
        : prisma.$queryRaw<Array<{ id: string }>>`SELECT id::text AS id FROM "KmsKey" WHERE id::text LIKE ${key.toLowerCase() + "%"} ORDER BY id LIMIT ${MAX_SUGGESTIONS}`,
      input.principal === undefined
        ? []
        : prisma.$queryRaw<Array<{ username: string }>>`SELECT username FROM "User" WHERE username ILIKE ${likePattern(principal)} ORDER BY username LIMIT ${MAX_SUGGESTIONS}`,
    ]);
    return {
      keys: [...aliases.map((a) => ({ value: a.name, keyId: a.keyId })), ...keyIds.map((k) => ({ value: k.id, keyId: k.id }))].slice(0, MAX_SUGGESTIONS),
      principals: users.map((u) => ({ value: u.username, label: u.username })),
    };
  });
}
