// CreateCustomKeyStore, DescribeCustomKeyStores, UpdateCustomKeyStore,
// DeleteCustomKeyStore for AWS_CLOUDHSM stores backed by a PKCS#11 token:
// CloudHsmClusterId is the token label, KeyStorePassword its user PIN (kept only
// wrapped by the root key store). External key stores are not supported.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type Prisma } from "@/lib/db/client";
import { InvalidMarkerException, UnsupportedOperationException, ValidationException } from "@/lib/errors";
import {
  CloudHsmClusterInUseException,
  CustomKeyStoreHasCMKsException,
  CustomKeyStoreInvalidStateException,
  CustomKeyStoreNameInUseException,
  CustomKeyStoreNotFoundException,
} from "@/lib/errors/custom-key-store";
import { disconnectToken } from "@/lib/hsm";
import { authorizeAccountAction } from "../authorize";
import { now } from "../clock";
import { loadStore, storeEntry, wrapStorePassword, type CustomKeyStoreEntry } from "../custom-key-store/store";
import { assertTokenReady, checkTrustAnchor } from "../custom-key-store/token-check";
import { decodeMarker, encodeMarker } from "../marker";
import { enumField, intField, str, validateRequest } from "../validate";
import { messages } from "@/lib/errors/messages";

const XKS_FIELDS = [
  "XksProxyUriEndpoint",
  "XksProxyUriPath",
  "XksProxyVpcEndpointServiceName",
  "XksProxyVpcEndpointServiceOwner",
  "XksProxyAuthenticationCredential",
  "XksProxyConnectivity",
] as const;
const XKS_REASON =
  "External key stores (EXTERNAL_KEY_STORE, an XKS proxy) are not supported: Keyhold's custom key stores are AWS_CLOUDHSM stores on a PKCS#11 token.";

const xks = Object.fromEntries(XKS_FIELDS.map((f) => [f, z.unknown().optional()]));
const storeName = str(1, 256);
/** A PKCS#11 token label is at most 32 bytes (AWS cluster IDs are 19–24 characters). */
const clusterId = str(1, 32);
/** AWS allows 7–32 characters; HSM PINs can be shorter (SoftHSM2, smart cards) or longer, hence 1–128. */
const password = str(1, 128);

const createSchema = z.object({
  CustomKeyStoreName: storeName,
  CustomKeyStoreType: enumField(["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"] as const).optional(),
  CloudHsmClusterId: clusterId.optional(),
  TrustAnchorCertificate: str(1, 5000).optional(),
  KeyStorePassword: password.optional(),
  ...xks,
});

function refuseXks(req: Record<string, unknown>): void {
  if (XKS_FIELDS.some((f) => req[f] !== undefined)) throw new UnsupportedOperationException(XKS_REASON);
}

const isUniqueViolation = (e: unknown, field: string) =>
  (e as { code?: string }).code === "P2002" && JSON.stringify((e as { meta?: unknown }).meta ?? "").includes(field);

export async function createCustomKeyStore(caller: Principal, input: unknown): Promise<{ CustomKeyStoreId: string }> {
  authorizeAccountAction(caller, "kms:CreateCustomKeyStore");
  const req = validateRequest(createSchema, input);
  if (req.CustomKeyStoreType === "EXTERNAL_KEY_STORE") throw new UnsupportedOperationException(XKS_REASON);
  refuseXks(req);
  const missing = (["CloudHsmClusterId", "TrustAnchorCertificate", "KeyStorePassword"] as const).filter((f) => req[f] === undefined);
  if (missing.length) throw new ValidationException(messages.cloudHsmStoreNeeds(missing));
  checkTrustAnchor(req.TrustAnchorCertificate!);
  if (await prisma.customKeyStore.findUnique({ where: { name: req.CustomKeyStoreName } })) {
    throw new CustomKeyStoreNameInUseException(messages.storeNameInUse(req.CustomKeyStoreName));
  }
  if (await prisma.customKeyStore.findUnique({ where: { clusterId: req.CloudHsmClusterId! } })) {
    throw new CloudHsmClusterInUseException(messages.tokenInUse(req.CloudHsmClusterId));
  }
  await assertTokenReady(req.CloudHsmClusterId!);
  const id = `cks-${randomBytes(9).toString("hex").slice(0, 17)}`;
  try {
    await prisma.customKeyStore.create({
      data: {
        id,
        name: req.CustomKeyStoreName,
        storeType: "AWS_CLOUDHSM",
        clusterId: req.CloudHsmClusterId!,
        trustAnchor: req.TrustAnchorCertificate!,
        passwordWrapped: await wrapStorePassword(id, req.KeyStorePassword!),
        connectionState: "DISCONNECTED",
        createdAt: now(),
      },
    });
  } catch (e) {
    if (isUniqueViolation(e, "name")) throw new CustomKeyStoreNameInUseException(messages.storeNameInUse(req.CustomKeyStoreName));
    if (isUniqueViolation(e, "clusterId")) throw new CloudHsmClusterInUseException(messages.tokenInUse(req.CloudHsmClusterId));
    throw e;
  }
  return { CustomKeyStoreId: id };
}

const describeSchema = z.object({
  CustomKeyStoreId: str(1, 64).optional(),
  CustomKeyStoreName: storeName.optional(),
  Limit: intField(1, 1000).optional(),
  Marker: str(1, 1024).optional(),
});

export async function describeCustomKeyStores(
  caller: Principal,
  input: unknown,
): Promise<{ CustomKeyStores: CustomKeyStoreEntry[]; Truncated: boolean; NextMarker?: string }> {
  authorizeAccountAction(caller, "kms:DescribeCustomKeyStores");
  const req = validateRequest(describeSchema, input);
  if (req.CustomKeyStoreId !== undefined && req.CustomKeyStoreName !== undefined) {
    throw new ValidationException(messages.storeIdOrName);
  }
  const limit = req.Limit ?? 100;
  const after = req.Marker ? decodeMarker(req.Marker) : undefined;
  if (req.Marker && !after) throw new InvalidMarkerException(messages.invalidMarker);
  const where: Prisma.CustomKeyStoreWhereInput = {
    ...(req.CustomKeyStoreId !== undefined ? { id: req.CustomKeyStoreId } : {}),
    ...(req.CustomKeyStoreName !== undefined ? { name: req.CustomKeyStoreName } : {}),
    ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
  };
  const rows = await prisma.customKeyStore.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit + 1 });
  if (!rows.length && !after && (req.CustomKeyStoreId !== undefined || req.CustomKeyStoreName !== undefined)) {
    const named = req.CustomKeyStoreId ?? req.CustomKeyStoreName;
    throw new CustomKeyStoreNotFoundException(messages.storeNotFound(named));
  }
  const page = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const last = page[page.length - 1];
  return {
    CustomKeyStores: page.map(storeEntry),
    Truncated: truncated,
    ...(truncated && last ? { NextMarker: encodeMarker({ createdAt: last.createdAt, id: last.id }) } : {}),
  };
}

const updateSchema = z.object({
  CustomKeyStoreId: str(1, 64),
  NewCustomKeyStoreName: storeName.optional(),
  KeyStorePassword: password.optional(),
  CloudHsmClusterId: clusterId.optional(),
  ...xks,
});

export async function updateCustomKeyStore(caller: Principal, input: unknown): Promise<Record<string, never>> {
  authorizeAccountAction(caller, "kms:UpdateCustomKeyStore");
  const req = validateRequest(updateSchema, input);
  refuseXks(req);
  const store = await loadStore(req.CustomKeyStoreId);
  // As AWS: the password and the cluster (token) change only while disconnected.
  if ((req.KeyStorePassword !== undefined || req.CloudHsmClusterId !== undefined) && store.connectionState !== "DISCONNECTED") {
    throw new CustomKeyStoreInvalidStateException(
      messages.storeConnectedForUpdate(store.id, store.connectionState),
    );
  }
  const data: Prisma.CustomKeyStoreUpdateInput = {};
  if (req.NewCustomKeyStoreName !== undefined && req.NewCustomKeyStoreName !== store.name) {
    const taken = await prisma.customKeyStore.findUnique({ where: { name: req.NewCustomKeyStoreName } });
    if (taken) throw new CustomKeyStoreNameInUseException(messages.storeNameInUse(req.NewCustomKeyStoreName));
    data.name = req.NewCustomKeyStoreName;
  }
  if (req.CloudHsmClusterId !== undefined && req.CloudHsmClusterId !== store.clusterId) {
    const taken = await prisma.customKeyStore.findUnique({ where: { clusterId: req.CloudHsmClusterId } });
    if (taken) throw new CloudHsmClusterInUseException(messages.tokenInUse(req.CloudHsmClusterId));
    await assertTokenReady(req.CloudHsmClusterId);
    data.clusterId = req.CloudHsmClusterId;
  }
  if (req.KeyStorePassword !== undefined) data.passwordWrapped = await wrapStorePassword(store.id, req.KeyStorePassword);
  if (Object.keys(data).length) {
    try {
      await prisma.customKeyStore.update({ where: { id: store.id }, data });
    } catch (e) {
      if (isUniqueViolation(e, "name")) throw new CustomKeyStoreNameInUseException(messages.storeNameInUse(req.NewCustomKeyStoreName));
      throw e;
    }
  }
  return {};
}

const idSchema = z.object({ CustomKeyStoreId: str(1, 64) });

export async function deleteCustomKeyStore(caller: Principal, input: unknown): Promise<Record<string, never>> {
  authorizeAccountAction(caller, "kms:DeleteCustomKeyStore");
  const req = validateRequest(idSchema, input);
  const store = await loadStore(req.CustomKeyStoreId);
  if (store.connectionState !== "DISCONNECTED") {
    throw new CustomKeyStoreInvalidStateException(messages.storeConnectedForDelete(store.id, store.connectionState));
  }
  // Every KMS key in it, pending deletion too, must be deleted first (as AWS).
  const keys = await prisma.kmsKey.count({ where: { customKeyStoreId: store.id, deletedAt: null } });
  if (keys > 0) {
    throw new CustomKeyStoreHasCMKsException(
      messages.storeHasKeys(store.id, keys),
    );
  }
  // Keys already destroyed keep their row (they answer NotFound); they stop naming the store.
  await prisma.kmsKey.updateMany({ where: { customKeyStoreId: store.id }, data: { customKeyStoreId: null } });
  await prisma.customKeyStore.delete({ where: { id: store.id } });
  disconnectToken(store.id);
  return {};
}
