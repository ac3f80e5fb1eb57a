// CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant.
// A grant lets its grantee perform the listed operations on one key (with
// optional encryption-context constraints); it works as soon as it exists,
// so grant tokens are accepted but never needed.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type KmsGrant, type KmsKey, type Prisma } from "@/lib/db/client";
import {
  AccessDeniedException,
  dryRunSucceeded,
  InvalidArnException,
  InvalidGrantIdException,
  InvalidGrantTokenException,
  NotFoundException,
  UnsupportedOperationException,
  ValidationException,
} from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeAccountAction, authorizeKeyAction, checkGrantTokens, decideKeyAction } from "../authorize";
import { now } from "../clock";
import { kmsContext, type KmsContext } from "../context";
import { assertGrantPrincipalExists } from "../principals";
import { resolveKey } from "../resolve";
import { assertNotInState } from "../state";
import { boolField, encryptionContextField, enumField, grantTokensField, intField, keyIdField, str, validateRequest } from "../validate";
import { decodeListMarker, encodeListMarker } from "./tags";

export const GRANT_OPERATIONS = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "ReEncryptFrom",
  "ReEncryptTo",
  "Sign",
  "Verify",
  "GetPublicKey",
  "CreateGrant",
  "RetireGrant",
  "DescribeKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
] as const;

const COMMON = ["CreateGrant", "RetireGrant", "DescribeKey"];
/** Grant operations that make sense for each kind of key (AWS refuses the others). */
function validOperations(key: KmsKey): string[] {
  if (key.keyUsage === "ENCRYPT_DECRYPT" && key.keySpec === "SYMMETRIC_DEFAULT") {
    return [...COMMON, "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext"];
  }
  if (key.keyUsage === "ENCRYPT_DECRYPT") return [...COMMON, "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey"];
  if (key.keyUsage === "SIGN_VERIFY") return [...COMMON, "Sign", "Verify", "GetPublicKey"];
  if (key.keyUsage === "GENERATE_VERIFY_MAC") return [...COMMON, "GenerateMac", "VerifyMac"];
  if (key.keyUsage === "KEY_AGREEMENT") return [...COMMON, "DeriveSharedSecret", "GetPublicKey"];
  return COMMON;
}

const principalField = str(1, 256).regex(/^[\w+=,.@:/-]+$/, "Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$");
const grantIdField = str(1, 128);
const grantNameField = str(1, 256).regex(/^[a-zA-Z0-9:/_-]+$/, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");

const constraintsField = z
  .object({ EncryptionContextSubset: encryptionContextField, EncryptionContextEquals: encryptionContextField })
  .strict()
  .optional();

type Constraints = z.output<typeof constraintsField>;

const createSchema = z.object({
  KeyId: keyIdField,
  GranteePrincipal: principalField.optional(),
  RetiringPrincipal: principalField.optional(),
  Operations: z
    .array(enumField(GRANT_OPERATIONS), { error: (iss) => (iss.input === undefined ? "Member must not be null" : "Member must be a list") })
    .min(1, "Member must have length greater than or equal to 1"),
  Constraints: constraintsField,
  GrantTokens: grantTokensField,
  Name: grantNameField.optional(),
  DryRun: boolField,
  GranteeServicePrincipal: str(1, 128).optional(),
  RetiringServicePrincipal: str(1, 128).optional(),
});

const IAM_PRINCIPAL = /^(\d{12}|arn:aws:iam::\d{12}:(root|user\/.+|role\/.+)|arn:aws:sts::\d{12}:assumed-role\/.+)$/;

function checkPrincipal(p: string, field: string): void {
  if (!IAM_PRINCIPAL.test(p)) {
    throw new InvalidArnException(messages.invalidGrantPrincipal(field, p));
  }
}

/** An account ID names the account root. */
const normalizePrincipal = (p: string) => (/^\d{12}$/.test(p) ? `arn:aws:iam::${p}:root` : p);

const sameContext = (a?: Record<string, string>, b?: Record<string, string>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

function sameConstraints(a: Constraints | null | undefined, b: Constraints | null | undefined): boolean {
  const ea = a?.EncryptionContextEquals;
  const eb = b?.EncryptionContextEquals;
  const sa = a?.EncryptionContextSubset;
  const sb = b?.EncryptionContextSubset;
  return (ea === undefined) === (eb === undefined) && (sa === undefined) === (sb === undefined) && sameContext(ea, eb) && sameContext(sa, sb);
}

const includes = (outer: Record<string, string>, inner: Record<string, string>) => Object.entries(inner).every(([k, v]) => outer[k] === v);

/**
 * As AWS: a grantee whose CreateGrant permission comes from a grant creates
 * grants only for operations that grant has, with constraints at least as
 * strict — a grant never hands on more than it holds.
 */
function assertWithinParentGrant(caller: Principal, parent: KmsGrant, operations: string[], constraints: Constraints | undefined): void {
  const beyond = operations.filter((o) => !parent.operations.includes(o));
  if (beyond.length) {
    throw new AccessDeniedException(
      messages.grantBeyondParentOperations(caller.arn, beyond, parent.id),
    );
  }
  const held = (parent.constraints ?? null) as Constraints | null;
  const heldEquals = held?.EncryptionContextEquals;
  const heldSubset = held?.EncryptionContextSubset;
  const asked = constraints?.EncryptionContextEquals ?? constraints?.EncryptionContextSubset;
  const asStrict = heldEquals
    ? !!constraints?.EncryptionContextEquals && sameContext(constraints.EncryptionContextEquals, heldEquals)
    : heldSubset
      ? !!asked && includes(asked, heldSubset)
      : true;
  if (!asStrict) {
    throw new AccessDeniedException(
      messages.grantBeyondParentConstraints(caller.arn, parent.id),
    );
  }
}

function newToken(grantId: string): string {
  return `KH1.${Buffer.concat([Buffer.from(grantId, "hex"), randomBytes(32)]).toString("base64url")}`;
}

/** The grant ID a token names (tokens carry it), or InvalidGrantTokenException. */
function grantIdFromToken(token: string): string {
  const m = /^KH1\.([A-Za-z0-9_-]+)$/.exec(token);
  const raw = m ? Buffer.from(m[1]!, "base64url") : undefined;
  if (!raw || raw.length !== 64) throw new InvalidGrantTokenException(messages.invalidGrantToken);
  return raw.subarray(0, 32).toString("hex");
}

const GRANT_ID = /^[0-9a-f]{64}$/;

function checkGrantId(id: string): void {
  if (!GRANT_ID.test(id)) throw new InvalidGrantIdException(messages.invalidGrantId(id));
}

export async function createGrant(caller: Principal, input: unknown): Promise<{ GrantToken: string; GrantId: string }> {
  assertCallerActive(caller, "kms:CreateGrant");
  const req = validateRequest(createSchema, input);
  checkGrantTokens(req.GrantTokens);
  if (req.GranteeServicePrincipal !== undefined || req.RetiringServicePrincipal !== undefined) {
    throw new UnsupportedOperationException(messages.servicePrincipalsUnsupported);
  }
  if (req.GranteePrincipal === undefined) {
    throw new ValidationException(messages.required("GranteePrincipal"));
  }
  checkPrincipal(req.GranteePrincipal, "GranteePrincipal");
  if (req.RetiringPrincipal !== undefined) checkPrincipal(req.RetiringPrincipal, "RetiringPrincipal");
  const c = req.Constraints;
  if (c && c.EncryptionContextEquals && c.EncryptionContextSubset) {
    throw new ValidationException(messages.grantConstraintsBoth);
  }
  const constraints = c && (c.EncryptionContextEquals || c.EncryptionContextSubset) ? c : undefined;
  const operations = [...new Set(req.Operations)];
  const grantee = normalizePrincipal(req.GranteePrincipal);
  const retiring = req.RetiringPrincipal !== undefined ? normalizePrincipal(req.RetiringPrincipal) : undefined;

  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId);
  const decision = await authorizeKeyAction(caller, "kms:CreateGrant", ctx, key, {
    grantTokens: req.GrantTokens,
    encryptionContext: constraints?.EncryptionContextEquals ?? constraints?.EncryptionContextSubset,
    values: {
      "kms:GrantOperations": operations,
      "kms:GranteePrincipal": grantee,
      "kms:RetiringPrincipal": retiring,
      "kms:GrantConstraintType": constraints ? (constraints.EncryptionContextEquals ? "EncryptionContextEquals" : "EncryptionContextSubset") : undefined,
    },
  });
  // Allowed only by a grant of its own: the new grant may not reach further than that one.
  if (decision.reason === "grant-allow" && decision.statement?.grantId) {
    const parent = await prisma.kmsGrant.findUnique({ where: { id: decision.statement.grantId } });
    if (!parent) throw new AccessDeniedException(messages.parentGrantGone(caller.arn));
    assertWithinParentGrant(caller, parent, operations, constraints);
  }
  assertNotInState(ctx, key, ["PendingDeletion"]);
  await assertGrantPrincipalExists(ctx, grantee);
  if (retiring !== undefined) await assertGrantPrincipalExists(ctx, retiring);
  const valid = validOperations(key);
  const invalid = operations.filter((o) => !valid.includes(o));
  if (invalid.length) {
    throw new ValidationException(messages.grantOperationsNotValid(invalid, ctx.keyArn(key.id), key.keySpec, key.keyUsage));
  }
  if (constraints && !(key.keySpec === "SYMMETRIC_DEFAULT" && key.keyUsage === "ENCRYPT_DECRYPT")) {
    throw new ValidationException(messages.grantConstraintsSymmetricOnly);
  }
  if (req.DryRun) dryRunSucceeded();

  if (req.Name !== undefined) {
    // Idempotency: the same name with the same parameters is the same grant.
    const existing = await prisma.kmsGrant.findMany({ where: { keyId: key.id, name: req.Name } });
    const same = existing.find(
      (g) =>
        g.granteePrincipal === grantee &&
        (g.retiringPrincipal ?? undefined) === retiring &&
        JSON.stringify([...g.operations].sort()) === JSON.stringify([...operations].sort()) &&
        sameConstraints(g.constraints as Constraints | null, constraints),
    );
    if (same) return { GrantId: same.id, GrantToken: same.token };
  }
  const id = createHash("sha256").update(randomBytes(32)).digest("hex");
  const token = newToken(id);
  await prisma.$transaction(async (tx) => {
    await tx.kmsGrant.create({
      data: {
        id,
        keyId: key.id,
        token,
        name: req.Name ?? null,
        granteePrincipal: grantee,
        retiringPrincipal: retiring ?? null,
        operations,
        issuingAccount: `arn:aws:iam::${ctx.account}:root`,
        createdBy: caller.arn,
        createdAt: now(),
      },
    });
    // As JSON text: Prisma's JSON input rebuilds objects key by key and drops a "__proto__" key,
    // which would leave a constraint on it as {} (no constraint at all).
    if (constraints) await tx.$executeRaw`UPDATE "KmsGrant" SET constraints = ${JSON.stringify(constraints)}::jsonb WHERE id = ${id}`;
  });
  return { GrantToken: token, GrantId: id };
}

export interface GrantListEntry {
  KeyId: string;
  GrantId: string;
  Name?: string;
  CreationDate: Date;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  IssuingAccount: string;
  Operations: string[];
  Constraints?: Constraints;
}

function grantEntry(ctx: KmsContext, g: KmsGrant): GrantListEntry {
  return {
    KeyId: ctx.keyArn(g.keyId),
    GrantId: g.id,
    ...(g.name ? { Name: g.name } : {}),
    CreationDate: g.createdAt,
    GranteePrincipal: g.granteePrincipal,
    ...(g.retiringPrincipal ? { RetiringPrincipal: g.retiringPrincipal } : {}),
    IssuingAccount: g.issuingAccount,
    Operations: g.operations,
    ...(g.constraints ? { Constraints: g.constraints as Constraints } : {}),
  };
}

const listSchema = z.object({
  KeyId: keyIdField,
  Limit: intField(1, 100).optional(),
  Marker: str(1, 1024).optional(),
  GrantId: grantIdField.optional(),
  GranteePrincipal: principalField.optional(),
  GranteeServicePrincipal: str(1, 128).optional(),
});

async function page(ctx: KmsContext, where: Prisma.KmsGrantWhereInput, limit: number, marker: string | undefined) {
  const after = marker !== undefined ? decodeListMarker("grants", marker, "string") : undefined;
  const rows = await prisma.kmsGrant.findMany({
    where: { ...where, ...(after !== undefined ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const last = items[items.length - 1];
  return {
    Grants: items.map((g) => grantEntry(ctx, g)),
    Truncated: truncated,
    ...(truncated && last ? { NextMarker: encodeListMarker("grants", last.id) } : {}),
  };
}

export async function listGrants(caller: Principal, input: unknown) {
  assertCallerActive(caller, "kms:ListGrants");
  const req = validateRequest(listSchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:ListGrants", ctx, key);
  if (req.GrantId !== undefined) checkGrantId(req.GrantId);
  if (req.GranteeServicePrincipal !== undefined) return { Grants: [], Truncated: false };
  return page(
    ctx,
    {
      keyId: key.id,
      ...(req.GrantId !== undefined ? { id: req.GrantId } : {}),
      ...(req.GranteePrincipal !== undefined ? { granteePrincipal: normalizePrincipal(req.GranteePrincipal) } : {}),
    },
    req.Limit ?? 50,
    req.Marker,
  );
}

const listRetirableSchema = z.object({
  Limit: intField(1, 100).optional(),
  Marker: str(1, 1024).optional(),
  RetiringPrincipal: principalField.optional(),
  RetiringServicePrincipal: str(1, 128).optional(),
});

export async function listRetirableGrants(caller: Principal, input: unknown) {
  assertCallerActive(caller, "kms:ListRetirableGrants");
  const req = validateRequest(listRetirableSchema, input);
  if (req.RetiringServicePrincipal !== undefined) {
    throw new UnsupportedOperationException(messages.servicePrincipalsUnsupported);
  }
  if (req.RetiringPrincipal === undefined) {
    throw new ValidationException(messages.required("RetiringPrincipal"));
  }
  checkPrincipal(req.RetiringPrincipal, "RetiringPrincipal");
  // AWS: authorized by the caller's identity policy (IAM), not by key policies.
  authorizeAccountAction(caller, "kms:ListRetirableGrants");
  const ctx = await kmsContext();
  const liveKeys = { in: (await prisma.kmsKey.findMany({ where: { deletedAt: null }, select: { id: true } })).map((k) => k.id) };
  return page(ctx, { retiringPrincipal: normalizePrincipal(req.RetiringPrincipal), keyId: liveKeys }, req.Limit ?? 50, req.Marker);
}

const retireSchema = z.object({
  GrantToken: str(1, 8192).optional(),
  KeyId: keyIdField.optional(),
  GrantId: grantIdField.optional(),
  DryRun: boolField,
});

async function findGrant(ctx: KmsContext, key: KmsKey, grantId: string): Promise<KmsGrant> {
  const grant = await prisma.kmsGrant.findUnique({ where: { id: grantId } });
  if (!grant || grant.keyId !== key.id) throw new NotFoundException(messages.grantNotFound(grantId, ctx.keyArn(key.id)));
  return grant;
}

export async function retireGrant(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:RetireGrant");
  const req = validateRequest(retireSchema, input);
  let grantId: string;
  if (req.GrantToken !== undefined) {
    grantId = grantIdFromToken(req.GrantToken);
    if (req.GrantId !== undefined && req.GrantId !== grantId) throw new InvalidGrantIdException(messages.grantIdNotOfToken);
  } else {
    if (req.KeyId === undefined || req.GrantId === undefined) {
      throw new ValidationException(messages.retireGrantWhich);
    }
    checkGrantId(req.GrantId);
    grantId = req.GrantId;
  }
  const ctx = await kmsContext();
  let key: KmsKey;
  let grant: KmsGrant;
  if (req.KeyId !== undefined) {
    key = (await resolveKey(ctx, req.KeyId)).key;
    grant = await findGrant(ctx, key, grantId);
  } else {
    const g = await prisma.kmsGrant.findUnique({ where: { id: grantId } });
    if (!g || (req.GrantToken !== undefined && g.token !== req.GrantToken)) {
      throw new NotFoundException(messages.grantTokenNoGrant);
    }
    grant = g;
    key = (await resolveKey(ctx, g.keyId)).key;
  }
  // Who may retire: the retiring principal, the grantee if the grant includes RetireGrant,
  // the account (root), or a principal the key policy allows kms:RetireGrant.
  const mayRetire =
    grant.retiringPrincipal === caller.arn ||
    (grant.granteePrincipal === caller.arn && grant.operations.includes("RetireGrant")) ||
    caller.arn === grant.issuingAccount ||
    (await decideKeyAction(caller, "kms:RetireGrant", ctx, key)).decision.allowed;
  if (!mayRetire) {
    throw new AccessDeniedException(
      messages.notAllowedToRetire(caller.arn, ctx.keyArn(key.id), grant.id),
    );
  }
  if (req.DryRun) dryRunSucceeded();
  await prisma.kmsGrant.deleteMany({ where: { id: grant.id } });
  return {};
}

const revokeSchema = z.object({ KeyId: keyIdField, GrantId: grantIdField, DryRun: boolField });

export async function revokeGrant(caller: Principal, input: unknown): Promise<Record<string, never>> {
  assertCallerActive(caller, "kms:RevokeGrant");
  const req = validateRequest(revokeSchema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:RevokeGrant", ctx, key);
  checkGrantId(req.GrantId);
  const grant = await findGrant(ctx, key, req.GrantId);
  if (req.DryRun) dryRunSucceeded();
  await prisma.kmsGrant.deleteMany({ where: { id: grant.id } });
  return {};
}
