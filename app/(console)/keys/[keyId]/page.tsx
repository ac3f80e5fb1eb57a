import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/auth/current";
import { canManageKeys, canReadKeys } from "@/lib/console/keys/roles";
import { KeyDetailView } from "./key-detail";

export const metadata: Metadata = { title: "Key" };

export default async function KeyPage({
  params,
  searchParams,
}: {
  params: Promise<{ keyId: string }>;
  searchParams: Promise<{ aliasError?: string }>;
}) {
  const [{ keyId }, { aliasError }] = await Promise.all([params, searchParams]);
  const principal = await requirePrincipal();
  if (!canReadKeys(principal.role)) return <Forbidden what="this key" />;
  const canAudit = principal.role === "ADMINISTRATOR" || principal.role === "AUDITOR";
  return (
    <KeyDetailView
      keyId={keyId}
      canManage={canManageKeys(principal.role)}
      canAudit={canAudit}
      initialError={aliasError?.slice(0, 1000)}
    />
  );
}
