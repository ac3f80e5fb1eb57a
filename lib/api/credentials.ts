// Access key → (secret, principal) for SigV4, cached briefly in memory so the
// hot path does not unwrap a secret per request. Deactivation, deletion and
// user changes in this process clear the cache at once (onAccessKeyChange).
import { LRUCache } from "lru-cache";
import { onAccessKeyChange, unwrapSecret } from "@/lib/accounts/access-keys";
import { userPrincipal, type Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { accountId } from "@/lib/settings/account";
import { UnrecognizedClientException } from "./errors";

interface Credential {
  secretAccessKey: string;
  principal: Principal;
}

const TTL_MS = 10_000;
const cache = new LRUCache<string, Credential>({ max: 10_000, ttl: TTL_MS });
onAccessKeyChange((id) => (id ? cache.delete(id) : cache.clear()));

const INVALID = "The security token included in the request is invalid.";

export async function credentialFor(accessKeyId: string): Promise<Credential> {
  const cached = cache.get(accessKeyId);
  if (cached) return cached;
  const key = /^[A-Z0-9]{16,128}$/.test(accessKeyId)
    ? await prisma.accessKey.findUnique({ where: { id: accessKeyId }, include: { user: { include: { customRole: true } } } })
    : null;
  if (!key || key.status !== "Active" || key.user.disabled) throw new UnrecognizedClientException(INVALID);
  const credential: Credential = {
    secretAccessKey: await unwrapSecret(key.id, key.secretWrapped),
    // API callers never hold a "must change password" flag: that gates the console sign-in only.
    principal: userPrincipal(await accountId(), { ...key.user, mustChangePassword: false }),
  };
  cache.set(accessKeyId, credential);
  return credential;
}

// "Last used" is recorded at most once a minute per key, off the request path.
const lastRecorded = new Map<string, number>();
export function recordUse(accessKeyId: string): void {
  const t = Date.now();
  if ((lastRecorded.get(accessKeyId) ?? 0) > t - 60_000) return;
  lastRecorded.set(accessKeyId, t);
  prisma.accessKey
    .update({ where: { id: accessKeyId }, data: { lastUsedAt: new Date(t), lastUsedService: "kms" } })
    .catch((e) => logger.warn({ err: e, accessKeyId }, "could not record access key use"));
}
