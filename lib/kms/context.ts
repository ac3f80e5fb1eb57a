// Installation facts every operation needs (region, account). Both are fixed
// for the life of the process once the account ID is known, so the context is
// built once and shared: every call on the hot path asks for it.
import { accountId, region } from "@/lib/settings/account";
import { aliasArn, keyArn } from "./arn";

export interface KmsContext {
  region: string;
  account: string;
  keyArn(keyId: string): string;
  aliasArn(aliasName: string): string;
}

let shared: KmsContext | undefined;

export async function kmsContext(): Promise<KmsContext> {
  const r = region();
  const a = await accountId();
  if (shared?.region !== r || shared.account !== a) {
    shared = { region: r, account: a, keyArn: (id) => keyArn(r, a, id), aliasArn: (name) => aliasArn(r, a, name) };
  }
  return shared;
}
