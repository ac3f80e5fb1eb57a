// `keyhold root-key migrate --to local|shamir|pkcs11` (server stopped, under the data-folder lock):
// re-wraps everything the root key wraps — key material, import wrapping keys, access-key secrets,
// audit signing keys, alert rule secrets, custom key store PINs, approval requests' sealed secrets —
// from the current store to the target, one row at a time.
// A row already readable under the target is skipped, so a rerun after a crash resumes; a full
// verification pass under the target runs before custody switches. Audited at start and end.
import { secretAad } from "@/lib/accounts/access-keys";
import { authorize } from "@/lib/access/authorize";
import { ruleSecretAad } from "@/lib/alerts/secret";
import { writeAuditEvent } from "@/lib/audit";
import type { ApprovalFacts } from "@/lib/audit/record";
import { signingKeyAad } from "@/lib/audit/signing-key";
import { approvalSecretAad } from "@/lib/crypto/keystore/approval-secret";
import type { Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { isCiphertextError, materialAad, wrappingKeyAad, type KeySpec, type KeyStore, type WrappingAlgorithm, type WrappingKeySpec } from "@/lib/crypto";
import { ROOT_KEY_STORE_KINDS, type RootKeyStoreKind } from "@/lib/crypto/keystore/custody-record";
import { beginMigration, finishMigration } from "@/lib/crypto/keystore/migration";
import { storeKind } from "@/lib/crypto/keystore/open";
import { resetRootKeyStore, rootKeyStore, sealableKeyStore } from "@/lib/crypto/keystore/process";
import { directPrisma } from "@/lib/db/client";
import { isKmsError, KMSInvalidStateException, ValidationException } from "@/lib/errors";
import { storePasswordAad } from "./custom-key-store/store";
import type { HostRunApproval } from "./root-key-custody";

interface WrappedRow {
  blob: Buffer;
  aad: Buffer;
  save(blob: Uint8Array<ArrayBuffer>, wrappedBy: string): Promise<unknown>;
}

/** Every row wrapped by the root key, table by table (the server is stopped: nothing else writes). */
async function* wrappedRows(): AsyncGenerator<[string, WrappedRow]> {
  const db = directPrisma();
  for (const m of await db.keyMaterial.findMany({ select: { keyId: true, version: true, wrapped: true, key: { select: { keySpec: true } } } })) {
    yield ["KeyMaterial", {
      blob: Buffer.from(m.wrapped),
      aad: materialAad(m.keyId, m.version, m.key.keySpec as KeySpec),
      save: (wrapped, wrappedBy) => db.keyMaterial.update({ where: { keyId_version: { keyId: m.keyId, version: m.version } }, data: { wrapped, wrappedBy } }),
    }];
  }
  for (const p of await db.importParameters.findMany()) {
    yield ["ImportParameters", {
      blob: Buffer.from(p.privateKeyWrapped),
      aad: wrappingKeyAad(p.id, p.keyId, p.wrappingAlgorithm as WrappingAlgorithm, p.wrappingKeySpec as WrappingKeySpec),
      save: (privateKeyWrapped, wrappedBy) => db.importParameters.update({ where: { id: p.id }, data: { privateKeyWrapped, wrappedBy } }),
    }];
  }
  for (const a of await db.accessKey.findMany({ select: { id: true, secretWrapped: true } })) {
    yield ["AccessKey", { blob: Buffer.from(a.secretWrapped), aad: secretAad(a.id), save: (secretWrapped) => db.accessKey.update({ where: { id: a.id }, data: { secretWrapped } }) }];
  }
  for (const s of await db.auditSigningKey.findMany({ select: { id: true, wrapped: true } })) {
    yield ["AuditSigningKey", { blob: Buffer.from(s.wrapped), aad: signingKeyAad(s.id), save: (wrapped) => db.auditSigningKey.update({ where: { id: s.id }, data: { wrapped } }) }];
  }
  for (const r of await db.notificationRule.findMany({ select: { id: true, secretWrapped: true } })) {
    yield ["NotificationRule", { blob: Buffer.from(r.secretWrapped), aad: ruleSecretAad(r.id), save: (secretWrapped) => db.notificationRule.update({ where: { id: r.id }, data: { secretWrapped } }) }];
  }
  for (const s of await db.customKeyStore.findMany({ select: { id: true, passwordWrapped: true } })) {
    yield ["CustomKeyStore", { blob: Buffer.from(s.passwordWrapped), aad: storePasswordAad(s.id), save: (passwordWrapped) => db.customKeyStore.update({ where: { id: s.id }, data: { passwordWrapped } }) }];
  }
  // Held approval requests' secret input, and produced secrets waiting to be revealed.
  const held = await db.approvalRequest.findMany({ where: { OR: [{ sealedInput: { not: null } }, { sealedResult: { not: null } }] }, select: { id: true, sealedInput: true, sealedResult: true } });
  for (const a of held) {
    if (a.sealedInput) {
      yield ["ApprovalRequest", { blob: Buffer.from(a.sealedInput), aad: approvalSecretAad(a.id, "input"), save: (sealedInput) => db.approvalRequest.update({ where: { id: a.id }, data: { sealedInput } }) }];
    }
    if (a.sealedResult) {
      yield ["ApprovalRequest", { blob: Buffer.from(a.sealedResult), aad: approvalSecretAad(a.id, "result"), save: (sealedResult) => db.approvalRequest.update({ where: { id: a.id }, data: { sealedResult } }) }];
    }
  }
}

async function readableBy(store: KeyStore, row: WrappedRow): Promise<boolean> {
  try {
    (await store.unwrap(row.blob, row.aad)).fill(0);
    return true;
  } catch (e) {
    if (isCiphertextError(e)) return false;
    throw e;
  }
}

/** A Shamir-sealed current root key is opened with shares given to the command (stdin). */
async function unsealForMigration(shares: unknown): Promise<void> {
  const store = await sealableKeyStore();
  if (!store?.sealed) return;
  for (const share of Array.isArray(shares) ? shares : []) if (store.sealed) await store.submitShare(String(share));
  if (store.sealed) throw new KMSInvalidStateException(`The current root key is Shamir-sealed: give ${store.progress().threshold} unseal shares on stdin (--unseal-shares-stdin).`);
}

export interface MigrationResult {
  from: RootKeyStoreKind;
  to: RootKeyStoreKind;
  rewrapped: Record<string, number>;
  alreadyMigrated: number;
  verified: number;
  shares?: string[];
  threshold?: number;
  custodians?: number;
}

async function migrate(input: { to?: unknown; custodians?: unknown; threshold?: unknown; shares?: unknown }): Promise<MigrationResult> {
  const to = input?.to as RootKeyStoreKind;
  if (!ROOT_KEY_STORE_KINDS.includes(to)) throw new ValidationException("--to must be local, shamir or pkcs11.");
  const custodians = Number(input?.custodians ?? 3);
  const threshold = Number(input?.threshold ?? 2);
  if (to === "shamir" && (!Number.isInteger(custodians) || !Number.isInteger(threshold) || threshold < 2 || custodians < threshold || custodians > 255)) {
    throw new ValidationException("A shamir target needs --custodians N --threshold M with 2 ≤ M ≤ N ≤ 255.");
  }
  const cfg = config();
  const from = storeKind({ ...cfg, rootKeyStore: undefined });
  const old = await rootKeyStore();
  const { record, target } = await beginMigration(cfg, from, to, { custodians, threshold });
  const d = target.describe();
  const wrappedBy = `${d.kind}:${String(d.fingerprint ?? "")}`;
  const rewrapped: Record<string, number> = {};
  let alreadyMigrated = 0;
  for await (const [table, row] of wrappedRows()) {
    if (await readableBy(target, row)) {
      alreadyMigrated++;
      continue;
    }
    const plain = await old.unwrap(row.blob, row.aad);
    try {
      const blob = await target.wrap(plain, row.aad);
      const check = await target.unwrap(blob, row.aad);
      const same = check.equals(plain);
      check.fill(0);
      if (!same) throw new Error(`re-wrapped ${table} row does not unwrap to its material under the ${to} store`);
      await row.save(new Uint8Array(blob), wrappedBy); // one row, one statement: old or new, never half
    } finally {
      plain.fill(0);
    }
    rewrapped[table] = (rewrapped[table] ?? 0) + 1;
  }
  let verified = 0;
  for await (const [table, row] of wrappedRows()) {
    if (!(await readableBy(target, row))) throw new Error(`verification failed: a ${table} row is not readable under the ${to} store; nothing was switched, run the migration again`);
    verified++;
  }
  const { shares } = await finishMigration(cfg, record);
  (target as { close?: () => void }).close?.();
  resetRootKeyStore();
  return { from: record.from, to, rewrapped, alreadyMigrated, verified, ...(shares ? { shares, threshold: record.shamir?.threshold, custodians: record.shamir?.custodians } : {}) };
}

/**
 * Operator only (`keyhold root-key migrate`); recorded when it starts and when it ends. Under an
 * approval rule, `approval` refuses the run without an approved request for this target, names
 * the request and its approvers in both events, and marks it executed once the migration is done.
 */
export async function migrateRootKey(
  caller: Principal,
  input: { to?: unknown; custodians?: unknown; threshold?: unknown; shares?: unknown; approvalRequestId?: unknown },
  approval?: HostRunApproval,
): Promise<MigrationResult> {
  let approvalFacts: ApprovalFacts | undefined;
  const event = (extra: { response?: unknown; error?: { name: string; message: string } }) =>
    writeAuditEvent({
      eventName: "MigrateRootKey",
      eventSource: "keyhold.root-key",
      caller,
      via: "cli",
      sourceIp: caller.sourceIp,
      request: { to: input?.to, custodians: input?.custodians, threshold: input?.threshold, ...(input?.approvalRequestId !== undefined ? { approvalRequestId: input.approvalRequestId } : {}) },
      readOnly: false,
      approval: approvalFacts ?? (typeof input?.approvalRequestId === "string" ? { requestId: input.approvalRequestId } : undefined),
      ...extra,
    });
  try {
    authorize(caller, "keyhold:MigrateRootKey", ["ADMINISTRATOR"]);
    if (caller.kind !== "operator") throw new ValidationException("Root key migration runs from the keyhold CLI with the server stopped.");
    approvalFacts = await approval?.check();
    await unsealForMigration(input?.shares);
  } catch (e) {
    const error = isKmsError(e) ? e : new KMSInvalidStateException((e as Error).message);
    await event({ error: { name: error.name, message: error.message } });
    throw error;
  }
  await event({ response: { phase: "started" } });
  try {
    const result = await migrate(input);
    const { shares: _shares, ...recorded } = result;
    void _shares;
    await approval?.markUsed(recorded);
    await event({ response: { phase: "completed", ...recorded } });
    return result;
  } catch (e) {
    const error = isKmsError(e) ? e : new KMSInvalidStateException(`Root key migration stopped: ${(e as Error).message}`);
    await event({ error: { name: error.name, message: error.message } }).catch(() => {});
    throw error;
  }
}
