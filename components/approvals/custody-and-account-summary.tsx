// The summary rows of the account and root key custody changes under quorum
// (issue 12's second round): exactly what will change, as the approvers see it.
const roleName = (v: unknown) => (typeof v === "string" ? v.toLowerCase().replace(/_/g, " ") : "none");
const roles = (v: unknown) => (Array.isArray(v) ? (v.length ? v.map(roleName).join(", ") : "no role") : "unknown");
const split = (custodians: unknown, threshold: unknown) => (typeof custodians === "number" ? ` (any ${String(threshold)} of ${custodians} custodians)` : "");

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

export function CustodyAndAccountSummary({ operation, summary: s }: { operation: string; summary: Record<string, unknown> }) {
  const user = String(s.username ?? "unknown");
  switch (operation) {
    case "UpdateUserStatus":
      return (
        <Row label="User" testId="change-summary-detail">
          {user} (role {roleName(s.role)}): {s.disabledAfter ? "disabled — sessions and access keys stop working" : "enabled again"}
        </Row>
      );
    case "UpdateUserCustomRole":
      return (
        <Row label="User" testId="change-summary-detail">
          {user}: custom role {String(s.customRoleBefore ?? "none")} → {String(s.customRoleAfter ?? "none")} (sessions ended)
        </Row>
      );
    case "UpdateMfaPolicy":
      return (
        <Row label="MFA required for" testId="change-summary-detail">
          {roles(s.mfaRequiredRolesBefore)} → {roles(s.mfaRequiredRolesAfter)}
        </Row>
      );
    case "CreateAdministrator":
      return (
        <Row label="New user" testId="change-summary-detail">
          {user} with role administrator{s.serviceAccount ? " (service account)" : ""}
        </Row>
      );
    case "MigrateRootKey":
    case "RekeyRootKey":
      return (
        <>
          <Row label="Root key" testId="change-summary-detail">
            {String(s.rootKeyStoreBefore)}
            {split(s.custodiansBefore, s.thresholdBefore)} → {String(s.rootKeyStoreAfter)}
            {split(s.custodiansAfter, s.thresholdAfter)}
            {operation === "MigrateRootKey" ? ": a new root key; everything is re-wrapped under it" : ": new unseal shares for the same root key; the old shares stop working"}
          </Row>
          <Row label="Runs">on the host, by the operator: the keyhold CLI with --approval and this request&apos;s ID, once</Row>
        </>
      );
    default:
      return null;
  }
}
