// "Review changes" on the key policy tab: everything PutKeyPolicy would check
// (grammar, principals that exist, the lockout safety check), without saving,
// plus actions that name nothing (a typo such as "kms:Encryp").
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { audited, noteKey } from "@/lib/audit";
import { LimitExceededException, MalformedPolicyDocumentException } from "@/lib/errors";
import { authorizeKeyAction, checkPolicyLockout, LOCKOUT_MESSAGE } from "@/lib/kms/authorize";
import { kmsContext } from "@/lib/kms/context";
import { MAX_KEY_POLICY_BYTES } from "@/lib/kms/operations/key-policy";
import { assertPolicyPrincipalsExist } from "@/lib/kms/principals";
import { resolveKey } from "@/lib/kms/resolve";
import { parsePolicy } from "@/lib/policy";
import { unknownKmsActions } from "@/lib/policy/kms-action-names";

export interface PolicyReview {
  /** The lockout check's refusal (Save would need the bypass), or null. */
  lockout: string | null;
  /** Actions that match no KMS action. */
  unknownActions: Array<{ action: string; suggestion?: string }>;
}

/** Grammar and principal problems throw (MalformedPolicyDocumentException); the rest is reported. */
export async function reviewKeyPolicy(caller: Principal, keyId: string, text: string): Promise<PolicyReview> {
  return audited({ eventName: "ValidatePolicy", caller, via: "console", request: { KeyId: keyId }, readOnly: true }, async () => {
    const ctx = await kmsContext();
    const { key } = await resolveKey(ctx, keyId, { allowAlias: false });
    noteKey(ctx.keyArn(key.id));
    // Only who could save the policy may have it checked against the key.
    await authorizeKeyAction(caller, "kms:PutKeyPolicy", ctx, key);
    if (Buffer.byteLength(text, "utf8") > MAX_KEY_POLICY_BYTES) {
      throw new LimitExceededException(`The key policy exceeds the maximum size of ${MAX_KEY_POLICY_BYTES} bytes.`);
    }
    const document = parsePolicy(text, { kind: "resource" });
    await assertPolicyPrincipalsExist(ctx, document);
    let lockout: string | null = null;
    try {
      await checkPolicyLockout(caller, ctx, key, { text, document });
    } catch (e) {
      if (!(e instanceof MalformedPolicyDocumentException) || e.message !== LOCKOUT_MESSAGE) throw e;
      lockout = e.message;
    }
    return { lockout, unknownActions: unknownKmsActions(document) };
  });
}
