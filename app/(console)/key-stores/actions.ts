"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/console/run";
import { invokeKmsWithApproval } from "@/lib/approvals/gate";

// Thin doors to the key service: it validates, authorizes and audits every call, and holds
// protected operations for approval (the error names the request).
const kms = (operation: string, input: object) =>
  runAction(async (caller) => {
    const out = await invokeKmsWithApproval(operation, caller, input, { source: "console" });
    revalidatePath("/key-stores");
    return out as Record<string, unknown>;
  });

export async function createKeyStoreAction(input: {
  CustomKeyStoreName: string;
  CloudHsmClusterId: string;
  KeyStorePassword: string;
  TrustAnchorCertificate: string;
}) {
  return kms("CreateCustomKeyStore", { ...input, CustomKeyStoreType: "AWS_CLOUDHSM" });
}

export async function connectKeyStoreAction(id: string) {
  return kms("ConnectCustomKeyStore", { CustomKeyStoreId: id });
}

export async function disconnectKeyStoreAction(id: string) {
  return kms("DisconnectCustomKeyStore", { CustomKeyStoreId: id });
}

export async function deleteKeyStoreAction(id: string) {
  return kms("DeleteCustomKeyStore", { CustomKeyStoreId: id });
}
