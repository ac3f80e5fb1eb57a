import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/auth/current";
import { keysPageAccess } from "@/lib/console/keys/access";
import { mayManageKeys } from "@/lib/console/keys/capabilities";
import { KeysTable } from "./keys-table";

export const metadata: Metadata = { title: "Keys" };

export default async function KeysPage() {
  const principal = await requirePrincipal();
  // Decided by ListKeys (identity policies: built-in and custom roles), not by the role's name.
  if ((await keysPageAccess(principal)) === "denied") return <Forbidden what="the Keys page" />;
  return (
    <div className="flex flex-col gap-4">
      <KeysTable canManage={mayManageKeys(principal)} />
    </div>
  );
}
