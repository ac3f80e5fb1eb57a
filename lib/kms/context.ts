// Installation facts every operation needs (region, account) resolved once per call.
import { accountId, region } from "@/lib/settings/account";
import { aliasArn, keyArn } from "./arn";

export interface KmsContext {
  region: string;
  account: string;
  keyArn(keyId: string): string;
  aliasArn(aliasName: string): string;
}

export async function kmsContext(): Promise<KmsContext> {
  const r = region();
  const a = await accountId();
  return { region: r, account: a, keyArn: (id) => keyArn(r, a, id), aliasArn: (name) => aliasArn(r, a, name) };
}
