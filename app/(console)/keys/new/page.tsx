import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/console/auth/current";
import { listKeyPrincipals } from "@/lib/console/keys/queries";
import { connectedKeyStores } from "@/lib/console/key-stores";
import { mayCreateKeys } from "@/lib/console/keys/capabilities";
import { accountId } from "@/lib/settings/account";
import { CreateKeyWizard } from "./wizard";

export const metadata: Metadata = { title: "Create key" };

export default async function NewKeyPage() {
  const principal = await requirePrincipal();
  if (!mayCreateKeys(principal)) return <Forbidden what="key creation" />;
  const [principals, account, keyStores] = await Promise.all([listKeyPrincipals(principal), accountId(), connectedKeyStores(principal)]);
  return <CreateKeyWizard account={account} principals={principals} keyStores={keyStores} />;
}
