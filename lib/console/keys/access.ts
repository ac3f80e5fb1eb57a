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
import { getConsoleKey, listConsoleKeys } from "./queries";
import type { KeyDetail, KeyListPage, KeyListParams } from "./types";

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

/**
 * The keys list with its first rows, rendered with the page (one browser
 * round trip less: at 10,000 keys on a busy host that was ~0.5 s of the
 * page's first second, bench:console). Listing is itself the ListKeys call,
 * so it stands in for keysPageAccess: one audited read instead of two. The
 * rows are left to the page's own fetch (which shows the error) when the
 * list fails for another reason.
 */
export async function keysPageWithFirstRows(caller: Principal, params: KeyListParams): Promise<{ access: "denied" } | { access: "allowed"; first?: KeyListPage }> {
  try {
    return { access: "allowed", first: await listConsoleKeys(caller, params) };
  } catch (e) {
    if (!isKmsError(e)) throw e;
    return e.name === "AccessDeniedException" ? { access: "denied" } : { access: "allowed" };
  }
}

/**
 * A key's page with its data, read once (as DescribeKey) for the page and
 * its first render instead of once for the check and once more by the
 * browser. A refusal is judged as keyPageAccess does (the page's data needs
 * more than DescribeKey: a caller who may describe but not read rotations
 * sees the page, and its error, as before).
 */
export async function keyPageWithData(caller: Principal, keyId: string): Promise<{ access: PageAccess; key?: KeyDetail }> {
  try {
    return { access: "allowed", key: await getConsoleKey(caller, keyId) };
  } catch (e) {
    if (!isKmsError(e)) throw e;
    if (e.name === "AccessDeniedException") return { access: await keyPageAccess(caller, keyId) };
    return { access: e.name === "NotFoundException" ? "not-found" : "allowed" };
  }
}
