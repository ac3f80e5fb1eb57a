// A rule's signing secret at rest: only wrapped by the root key, bound to the
// rule by the AAD (as access-key secrets are, lib/accounts/access-keys.ts).
import { rootKeyStore } from "@/lib/crypto/keystore/process";

export const ruleSecretAad = (ruleId: string) => Buffer.from(`keyhold:alert-rule-secret:${ruleId}`);
const aad = ruleSecretAad;

export async function wrapRuleSecret(ruleId: string, secret: string): Promise<Uint8Array<ArrayBuffer>> {
  const store = await rootKeyStore();
  return new Uint8Array(await store.wrap(Buffer.from(secret, "utf8"), aad(ruleId)));
}

export async function unwrapRuleSecret(ruleId: string, wrapped: Uint8Array): Promise<string> {
  const store = await rootKeyStore();
  const plain = await store.unwrap(Buffer.from(wrapped), aad(ruleId));
  const secret = plain.toString("utf8");
  plain.fill(0);
  return secret;
}
