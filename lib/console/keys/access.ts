// Whether the caller may open the console's key pages. The answer comes from
// the KMS operation each page stands for, called through invokeKms like any
// other door's call: authorized by the key policy, the caller's identity
// policies (built-in role and custom role) and grants, and audited. A page
// gate that looked at the built-in role name would turn away a user whose
// custom role allows kms:DescribeKey, and let through one whose policy denies it.
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { isKmsError } from "@/lib/errors";
import { invokeKms } from "@/lib/kms/invoke";

/**
 * "not-found": the key does not exist (or the ID is not a key ID). DescribeKey
 * answers that before it authorizes anything, as AWS; the key page then shows
 * its own "Key not found".
 */
export type PageAccess = "allowed" | "denied" | "not-found";

async function accessOf(call: Promise<unknown>): Promise<PageAccess> {
  try {
    await call;
    return "allowed";
  } catch (e) {
    if (!isKmsError(e)) throw e;
    if (e.name === "AccessDeniedException") return "denied";
    if (e.name === "NotFoundException" || e.name === "ValidationException") return "not-found";
    throw e;
  }
}

/** The keys list: as ListKeys. */
export function keysPageAccess(caller: Principal): Promise<PageAccess> {
  return accessOf(invokeKms("ListKeys", caller, { Limit: 1 }, { source: "console" }));
}

/** A key's page: as DescribeKey on that key. */
export function keyPageAccess(caller: Principal, keyId: string): Promise<PageAccess> {
  return accessOf(invokeKms("DescribeKey", caller, { KeyId: keyId }, { source: "console" }));
}
