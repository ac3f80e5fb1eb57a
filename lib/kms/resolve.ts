// Finds the key a request names, with AWS's errors for each way of naming it.
import { prisma, type KmsKey } from "@/lib/db/client";
import { noteKey } from "@/lib/audit/context";
import { loadKeyRow } from "./key-cache";
import { NotFoundException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { parseKeyIdentifier } from "./arn";
import type { KmsContext } from "./context";

export interface ResolveOptions {
  /** Operations such as EnableKey accept only key IDs and key ARNs, not aliases. */
  allowAlias?: boolean;
}

export interface ResolvedKey {
  key: KmsKey;
  /** The alias the caller used, if any (for kms:RequestAlias). */
  requestAlias?: string;
}

export async function resolveKey(ctx: KmsContext, keyIdentifier: string, options: ResolveOptions = {}): Promise<ResolvedKey> {
  const allowAlias = options.allowAlias ?? true;
  const id = parseKeyIdentifier(keyIdentifier);
  let keyId: string | undefined;
  let requestAlias: string | undefined;
  switch (id.kind) {
    case "keyId":
      keyId = id.keyId;
      break;
    case "keyArn":
      if (id.region !== ctx.region || id.account !== ctx.account) {
        throw new NotFoundException(messages.keyNotFound(keyIdentifier));
      }
      keyId = id.keyId;
      break;
    case "alias":
    case "aliasArn": {
      if (!allowAlias) throw new NotFoundException(messages.invalidKeyId(keyIdentifier));
      if (id.kind === "aliasArn" && (id.region !== ctx.region || id.account !== ctx.account)) {
        throw new NotFoundException(messages.aliasNotFound(keyIdentifier));
      }
      const alias = await prisma.alias.findUnique({ where: { name: id.aliasName } });
      if (!alias) throw new NotFoundException(messages.aliasNotFound(ctx.aliasArn(id.aliasName)));
      keyId = alias.keyId;
      requestAlias = id.aliasName;
      break;
    }
    default:
      throw new NotFoundException(messages.invalidKeyId(keyIdentifier));
  }
  const key = /^[0-9a-f-]{36}$/.test(keyId) ? await loadKeyRow(keyId) : null;
  if (!key || key.deletedAt) throw new NotFoundException(messages.keyNotFound(ctx.keyArn(keyId)));
  noteKey(ctx.keyArn(key.id));
  return { key, requestAlias };
}
