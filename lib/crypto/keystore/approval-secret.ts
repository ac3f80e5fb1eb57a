// Secrets an approval request keeps until it runs or is revealed (the secret
// fields of a held call's input, a secret its execution produced): sealed by
// the root key store, bound to the request and the part by the AAD, so a blob
// copied to another request or part fails to open. JSON inside.
import { rootKeyStore } from "./process";

export type ApprovalSecretPart = "input" | "result";

export const approvalSecretAad = (requestId: string, part: ApprovalSecretPart) => Buffer.from(`keyhold:approval-${part}-secret:${requestId}`);

export async function sealApprovalSecret(requestId: string, part: ApprovalSecretPart, value: unknown): Promise<Uint8Array<ArrayBuffer>> {
  const plain = Buffer.from(JSON.stringify(value), "utf8");
  try {
    return new Uint8Array(await (await rootKeyStore()).wrap(plain, approvalSecretAad(requestId, part)));
  } finally {
    plain.fill(0);
  }
}

export async function openApprovalSecret(requestId: string, part: ApprovalSecretPart, sealed: Uint8Array): Promise<unknown> {
  const plain = await (await rootKeyStore()).unwrap(Buffer.from(sealed), approvalSecretAad(requestId, part));
  try {
    return JSON.parse(plain.toString("utf8")) as unknown;
  } finally {
    plain.fill(0);
  }
}
