// The console's Key stores page: the custom key stores (through
// DescribeCustomKeyStores, audited and authorized in the key service) and the
// keys each holds (a console read recorded as ListKeys, needing kms:ListKeys).
import "server-only";
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { authorizeKms, decideAccountAction } from "@/lib/kms/authorize";
import { invokeKms } from "@/lib/kms/invoke";

export interface KeyStoreSummary {
  id: string;
  name: string;
  clusterId: string;
  connectionState: string;
  connectionErrorCode?: string;
  createdAt: string;
  /** Keys in the store (not yet deleted), when the caller may list keys. */
  keys?: Array<{ keyId: string; keyState: string }>;
}

interface Entry {
  CustomKeyStoreId: string;
  CustomKeyStoreName: string;
  CloudHsmClusterId: string;
  ConnectionState: string;
  ConnectionErrorCode?: string;
  CreationDate: Date;
}

export async function listKeyStores(caller: Principal): Promise<KeyStoreSummary[]> {
  const entries: Entry[] = [];
  let marker: string | undefined;
  do {
    const page = (await invokeKms("DescribeCustomKeyStores", caller, { Limit: 1000, ...(marker ? { Marker: marker } : {}) }, { source: "console" })) as {
      CustomKeyStores: Entry[];
      NextMarker?: string;
    };
    entries.push(...page.CustomKeyStores);
    marker = page.NextMarker;
  } while (marker);
  const keys = decideAccountAction(caller, "kms:ListKeys").decision.allowed && entries.length ? await keysByStore(caller) : undefined;
  return entries.map((e) => ({
    id: e.CustomKeyStoreId,
    name: e.CustomKeyStoreName,
    clusterId: e.CloudHsmClusterId,
    connectionState: e.ConnectionState,
    ...(e.ConnectionErrorCode ? { connectionErrorCode: e.ConnectionErrorCode } : {}),
    createdAt: new Date(e.CreationDate).toISOString(),
    ...(keys ? { keys: keys.get(e.CustomKeyStoreId) ?? [] } : {}),
  }));
}

function keysByStore(caller: Principal) {
  return audited({ eventName: "ListKeys", caller, via: "console", request: { customKeyStores: true }, readOnly: true }, async () => {
    authorizeKms(caller, "kms:ListKeys");
    const rows = await prisma.kmsKey.findMany({
      where: { customKeyStoreId: { not: null }, deletedAt: null },
      select: { id: true, keyState: true, customKeyStoreId: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const byStore = new Map<string, Array<{ keyId: string; keyState: string }>>();
    for (const r of rows) {
      const list = byStore.get(r.customKeyStoreId!) ?? [];
      // Descriptions are DescribeKey's to give (key policy): the list shows IDs and states only.
      list.push({ keyId: r.id, keyState: r.keyState });
      byStore.set(r.customKeyStoreId!, list);
    }
    return byStore;
  });
}

/** Connected stores for the create-key wizard; none when the caller may not see stores. */
export async function connectedKeyStores(caller: Principal): Promise<Array<{ id: string; name: string; clusterId: string }>> {
  if (!decideAccountAction(caller, "kms:DescribeCustomKeyStores").decision.allowed) return [];
  const page = (await invokeKms("DescribeCustomKeyStores", caller, { Limit: 1000 }, { source: "console" })) as { CustomKeyStores: Entry[] };
  return page.CustomKeyStores.filter((e) => e.ConnectionState === "CONNECTED").map((e) => ({
    id: e.CustomKeyStoreId,
    name: e.CustomKeyStoreName,
    clusterId: e.CloudHsmClusterId,
  }));
}
