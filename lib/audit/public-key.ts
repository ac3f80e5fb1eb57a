// The audit-signing public key(s) as a service operation, for auditors who
// check signed digests outside Keyhold. Kept apart from signing-key.ts, which
// the audit writer imports (recording from there would import the writer back).
import type { Principal } from "@/lib/auth/principal";
import { authorizeAuditRead } from "./access";
import { AUDIT_READ_EVENTS, auditedTrailRead } from "./audited-read";
import { auditPublicKeys } from "./signing-key";

/** PEM text of every audit-signing public key, oldest first. Recorded as GetAuditSigningPublicKey. */
export function auditSigningPublicKeysPem(caller: Principal): Promise<string> {
  return auditedTrailRead(AUDIT_READ_EVENTS.publicKey, caller, undefined, async () => {
    authorizeAuditRead(caller);
    return (await auditPublicKeys()).map((k) => k.pem).join("");
  });
}
