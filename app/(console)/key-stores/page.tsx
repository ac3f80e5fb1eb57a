import type { Metadata } from "next";
import { KeyStoreList } from "@/components/key-stores/key-store-list";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/console/auth/current";
import { listKeyStores } from "@/lib/console/key-stores";
import { decideAccountAction } from "@/lib/kms/authorize";
import { connectKeyStoreAction, createKeyStoreAction, deleteKeyStoreAction, disconnectKeyStoreAction } from "./actions";

export const metadata: Metadata = { title: "Key stores" };

export default async function KeyStoresPage() {
  const principal = await requirePrincipal();
  const may = (action: string) => decideAccountAction(principal, action).decision.allowed;
  // The page only decides what to render; the service authorizes (and audits) every call.
  if (!may("kms:DescribeCustomKeyStores")) return <Forbidden what="the Key stores page" />;
  const stores = await listKeyStores(principal);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Key stores</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          A custom key store is a token in a hardware security module, reached through its PKCS#11 library. Keys created in it are generated and used
          inside the HSM and never leave it; Keyhold keeps only their metadata. While a store is disconnected its keys are unavailable.
        </p>
      </div>
      <KeyStoreList
        stores={stores}
        can={{
          create: may("kms:CreateCustomKeyStore"),
          connect: may("kms:ConnectCustomKeyStore"),
          disconnect: may("kms:DisconnectCustomKeyStore"),
          remove: may("kms:DeleteCustomKeyStore"),
        }}
        actions={{ create: createKeyStoreAction, connect: connectKeyStoreAction, disconnect: disconnectKeyStoreAction, remove: deleteKeyStoreAction }}
      />
    </div>
  );
}
