// Root key custody operations: status, unseal (one share per call), seal now and rekey. Each call is
// audited; a share is never recorded (only that one was entered, and the progress).
import type { Principal } from "@/lib/auth/principal";
import { authorize } from "@/lib/access/authorize";
import { audited, type AuditedCall } from "@/lib/audit";
import type { ApprovalFacts } from "@/lib/audit/record";
import { auditSigner, forgetAuditSigningKey } from "@/lib/audit/signing-key";
import { materialCache, rootKeyStore, sealableKeyStore } from "@/lib/crypto/keystore/process";
import type { UnsealProgress } from "@/lib/crypto/keystore/shamir";
import { config } from "@/lib/config";
import { initShamirCustody, type ShamirInitResult } from "@/lib/crypto/keystore/init-shamir";
import { isKmsError, KMSInvalidStateException, UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { disconnectAllTokens } from "@/lib/hsm";

const SOURCE = "keyhold.root-key";
const everyRole = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] as const;
const via = (caller: Principal) => (caller.kind === "operator" ? "cli" : "console");

export interface CustodyStatus {
  kind: string;
  sealed: boolean;
  /** Shamir only: shares entered towards the next unseal, and M of N. */
  entered?: number;
  threshold?: number;
  custodians?: number;
  /** pkcs11 only. */
  tokenLabel?: string;
  keyLabel?: string;
  fingerprint?: string;
}

/** Non-secret facts; also used by /readyz and the start-up banner (no caller: not an audited call). */
export async function custodyStatusUnaudited(): Promise<CustodyStatus> {
  const d = (await rootKeyStore()).describe();
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  return {
    kind: d.kind,
    sealed: d.sealed === true,
    entered: num(d.entered),
    threshold: num(d.threshold),
    custodians: num(d.custodians),
    tokenLabel: str(d.tokenLabel),
    keyLabel: str(d.keyLabel),
    fingerprint: str(d.fingerprint),
  };
}

export async function describeRootKeyCustody(caller: Principal): Promise<CustodyStatus> {
  return audited({ eventName: "DescribeRootKeyCustody", eventSource: SOURCE, caller, via: via(caller), readOnly: true }, async () => {
    authorize(caller, "keyhold:DescribeRootKeyCustody", everyRole);
    return custodyStatusUnaudited();
  });
}

async function shamirStore() {
  const store = await sealableKeyStore();
  if (!store) throw new UnsupportedOperationException("This Keyhold's root key is not Shamir-sealed: there is nothing to unseal, seal or rekey.");
  return store;
}

/**
 * One custodian's share. Any signed-in user with a role (or the operator) may enter one: the share is
 * the authority, the sign-in names who entered it in the audit trail.
 */
export async function submitUnsealShare(caller: Principal, input: { share?: unknown }): Promise<UnsealProgress> {
  return audited(
    {
      eventName: "UnsealRootKey",
      eventSource: SOURCE,
      caller,
      via: via(caller),
      request: { share: "(not recorded)" },
      readOnly: false,
      recordedResponse: (p) => p,
    },
    async () => {
      authorize(caller, "keyhold:UnsealRootKey", everyRole);
      if (typeof input?.share !== "string" || input.share.trim() === "") throw new ValidationException("Enter an unseal share.");
      return (await shamirStore()).submitShare(input.share);
    },
  );
}

/**
 * Seal now: drops the root key, every plaintext key cached from it, and this process's logged-in
 * HSM sessions of custom key stores (their PINs are wrapped by the root key). Administrators only.
 */
export async function sealRootKey(caller: Principal): Promise<UnsealProgress> {
  return audited({ eventName: "SealRootKey", eventSource: SOURCE, caller, via: via(caller), readOnly: false }, async () => {
    authorize(caller, "keyhold:SealRootKey", ["ADMINISTRATOR"]);
    const store = await shamirStore();
    store.seal();
    materialCache().clear();
    disconnectAllTokens();
    forgetAuditSigningKey();
    return store.progress();
  });
}

/**
 * The approval a host-run custody change needs when a rule protects it
 * (lib/approvals/host-operations.ts; passed down, as lib/kms sits below it).
 */
export interface HostRunApproval {
  /** Throws when the run is not allowed; the approval's facts (request, approvers) to record, if any. */
  check(): Promise<ApprovalFacts | undefined>;
  /** Marks the approval used (single use), with the change done. */
  markUsed(response: unknown): Promise<void>;
}

/** New shares for the same root key (unsealed; administrators). The shares go to the caller only. */
export async function rekeyRootKey(
  caller: Principal,
  input: { custodians?: unknown; threshold?: unknown; approvalRequestId?: unknown },
  approval?: HostRunApproval,
): Promise<{ shares: string[]; threshold: number; custodians: number }> {
  const custodians = Number(input?.custodians);
  const threshold = Number(input?.threshold);
  const call: AuditedCall = {
    eventName: "RekeyRootKey",
    eventSource: SOURCE,
    caller,
    via: via(caller),
    request: { custodians: input?.custodians, threshold: input?.threshold, ...(input?.approvalRequestId !== undefined ? { approvalRequestId: input.approvalRequestId } : {}) },
    readOnly: false,
    recordedResponse: (r) => ({ threshold: (r as { threshold: number }).threshold, custodians: (r as { custodians: number }).custodians }),
  };
  // The event is built when the call ends, so the approval found meanwhile (with its approvers) is recorded.
  return audited(call, async () => {
    authorize(caller, "keyhold:RekeyRootKey", ["ADMINISTRATOR"]);
    if (!Number.isInteger(custodians) || !Number.isInteger(threshold) || threshold < 2 || custodians < threshold || custodians > 255) {
      throw new ValidationException("Rekey needs whole numbers with 2 ≤ threshold ≤ custodians ≤ 255.");
    }
    call.approval = await approval?.check();
    const { shares } = await (await shamirStore()).rekey(custodians, threshold);
    // In the call's transaction: the request is executed only if the new shares are recorded.
    await approval?.markUsed({ threshold, custodians });
    return { shares, threshold, custodians };
  });
}

/** `keyhold init` (server stopped): Shamir-seals the root key; the shares go to the operator only. */
export async function initRootKeyCustody(caller: Principal, input: { custodians?: unknown; threshold?: unknown }): Promise<ShamirInitResult> {
  const custodians = Number(input?.custodians);
  const threshold = Number(input?.threshold);
  return audited(
    {
      eventName: "InitRootKeyCustody",
      eventSource: SOURCE,
      caller,
      via: via(caller),
      request: { custodians: input?.custodians, threshold: input?.threshold },
      readOnly: false,
      recordedResponse: (r) => {
        const { threshold, custodians, fingerprint, splitExisting } = r as ShamirInitResult;
        return { threshold, custodians, fingerprint, splitExisting };
      },
    },
    async () => {
      authorize(caller, "keyhold:InitRootKeyCustody", ["ADMINISTRATOR"]);
      if (!Number.isInteger(custodians) || !Number.isInteger(threshold) || threshold < 2 || custodians < threshold || custodians > 255) {
        throw new ValidationException("init needs --custodians N --threshold M with 2 ≤ M ≤ N ≤ 255.");
      }
      // The audit signing key must exist (wrapped by the root key being split) before the key is sealed.
      await auditSigner();
      try {
        return await initShamirCustody(config(), custodians, threshold);
      } catch (e) {
        if (e instanceof Error && !isKmsError(e)) throw new KMSInvalidStateException(e.message);
        throw e;
      }
    },
  );
}
