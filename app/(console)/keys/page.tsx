import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/console/auth/current";
import { keysPageWithFirstRows } from "@/lib/console/keys/access";
import { mayManageKeys } from "@/lib/console/keys/capabilities";
import { keyListSearch, parseKeyListParams } from "@/lib/console/keys/list-params";
import { KeysTable } from "./keys-table";

export const metadata: Metadata = { title: "Keys" };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export default async function KeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requirePrincipal();
  const sp = await searchParams;
  // The view as the browser will read it from the URL (the same parser), so its first rows come with the page.
  const view = parseKeyListParams({ get: (name) => one(sp[name]) });
  // Decided by ListKeys (identity policies: built-in and custom roles), not by the role's name.
  const page = await keysPageWithFirstRows(principal, view);
  if (page.access === "denied") return <Forbidden what="the Keys page" />;
  return (
    <div className="flex flex-col gap-4">
      <KeysTable canManage={mayManageKeys(principal)} initial={page.first ? { search: keyListSearch(view), page: page.first } : undefined} />
    </div>
  );
}
