// Who may read the audit trail: administrators and auditors.
import { authorize } from "@/lib/access/authorize";
import type { Principal } from "@/lib/auth/principal";

export const AUDIT_READERS = ["ADMINISTRATOR", "AUDITOR"] as const;

export function authorizeAuditRead(caller: Principal, action = "keyhold:ReadAuditTrail"): void {
  authorize(caller, action, AUDIT_READERS);
}
