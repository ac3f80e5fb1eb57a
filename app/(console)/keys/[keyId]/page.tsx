import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/console/auth/current";
import { keyPageWithData } from "@/lib/console/keys/access";
import { keyControlAccess, mayManageKey } from "@/lib/console/keys/capabilities";
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
  // Decided by DescribeKey (key policy, built-in and custom roles, grants), not by the role's name;
  // the key's data is read once, for the check and the first render.
  const [page, canManage, rotation] = await Promise.all([
    keyPageWithData(principal, keyId),
    mayManageKey(principal, keyId),
    keyControlAccess(principal, keyId, ["kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:RotateKeyOnDemand"]),
  ]);
  if (page.access === "denied") return <Forbidden what="this key" />;
  // Administrators and auditors read the audit trail and may run the policy simulator.
  const canAudit = principal.role === "ADMINISTRATOR" || principal.role === "AUDITOR";
  return (
    <KeyDetailView
      keyId={keyId}
      initial={page.key}
      canManage={canManage}
      canAudit={canAudit}
      canSimulate={canAudit}
      rotationAccess={{ enable: rotation["kms:EnableKeyRotation"]!, disable: rotation["kms:DisableKeyRotation"]!, onDemand: rotation["kms:RotateKeyOnDemand"]! }}
      initialError={aliasError?.slice(0, 1000)}
    />
  );
}
