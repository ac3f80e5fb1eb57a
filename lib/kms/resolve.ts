// Finds the key a request names, with AWS's errors for each way of naming it.
import { prisma, type KmsKey } from "@/lib/db/client";
import { noteKey } from "@/lib/audit/context";
import { loadKeyRow } from "./key-cache";
import { NotFoundException } from "@/lib/errors";
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
        throw new NotFoundException(`Key '${keyIdentifier}' does not exist`);
      }
      keyId = id.keyId;
      break;
    case "alias":
    case "aliasArn": {
      if (!allowAlias) throw new NotFoundException(`Invalid keyId '${keyIdentifier}'`);
      if (id.kind === "aliasArn" && (id.region !== ctx.region || id.account !== ctx.account)) {
        throw new NotFoundException(`Alias ${keyIdentifier} is not found.`);
      }
      const alias = await prisma.alias.findUnique({ where: { name: id.aliasName } });
      if (!alias) throw new NotFoundException(`Alias ${ctx.aliasArn(id.aliasName)} is not found.`);
      keyId = alias.keyId;
      requestAlias = id.aliasName;
      break;
    }
    default:
      throw new NotFoundException(`Invalid keyId '${keyIdentifier}'`);
  }
  const key = /^[0-9a-f-]{36}$/.test(keyId) ? await loadKeyRow(keyId) : null;
  if (!key || key.deletedAt) throw new NotFoundException(`Key '${ctx.keyArn(keyId)}' does not exist`);
  noteKey(ctx.keyArn(key.id));
  return { key, requestAlias };
}
