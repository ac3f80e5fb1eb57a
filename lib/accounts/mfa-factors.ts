// A user's own second factors: TOTP authenticators (QR enrolment, confirmed
// by a first code), passkeys (WebAuthn), and one-time recovery codes. Every
// call is audited as IAM's MFA events; secrets, codes and QR images are
// returned to the caller only, never recorded.
import QRCode from "qrcode";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { revokeOtherConsoleSessions } from "@/lib/auth/console-sessions";
import { createPending, consumePending, findPending } from "@/lib/auth/mfa/pending";
import { hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from "@/lib/auth/mfa/recovery-codes";
import { roleRequiresMfa } from "@/lib/auth/mfa/required-roles";
import { passkeysOf, userHasMfa } from "@/lib/auth/mfa/second-factor";
import { requireMfaStepUp } from "@/lib/auth/mfa/step-up";
import { checkTotpCode, newTotpSecret, totpUri, unwrapTotpSecret, wrapTotpSecret } from "@/lib/auth/mfa/totp";
import { registrationOptions, relyingParty, verifyRegistration } from "@/lib/auth/mfa/webauthn";
import { audited, type AuditedCall } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { AccessDeniedException, NotFoundException, ValidationException } from "@/lib/errors";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { validate } from "@/lib/access/validate";

export interface MfaFactorSummary {
  id: string;
  type: "totp" | "webauthn";
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface MyMfa {
  factors: MfaFactorSummary[];
  recoveryCodesLeft: number;
  requiredByRole: boolean;
}

const nameSchema = z.string().trim().min(1, "Give it a name").max(64, "At most 64 characters");
const totpBeginSchema = z.object({ name: nameSchema });
const totpConfirmSchema = z.object({ factorId: z.uuid(), code: z.string().max(16) });
const factorSchema = z.object({ factorId: z.uuid() });
const passkeyBeginSchema = z.object({ origin: z.string().max(512).optional() });
const passkeyFinishSchema = z.object({ handle: z.string().max(128), name: nameSchema, response: z.record(z.string(), z.unknown()), origin: z.string().max(512).optional() });

/** Any signed-in user manages their own factors (also one whose role still needs one). */
function self(caller: Principal, action: string): string {
  if (caller.kind !== "user" || !caller.userId) throw new ValidationException("Only console users have second factors");
  if (caller.mustChangePassword) throw new AccessDeniedException(`You must change your password before you can perform ${action}.`);
  return caller.userId;
}

const call = (caller: Principal, eventName: string, request: unknown, extra: Partial<AuditedCall> = {}): AuditedCall => ({
  eventName,
  eventSource: "iam.amazonaws.com",
  caller,
  via: "console",
  request,
  ...extra,
});

/** Recovery codes: a fresh set replaces any old one. Returned once, stored hashed. */
async function issueRecoveryCodes(userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await prisma.recoveryCode.deleteMany({ where: { userId } });
  await prisma.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
  return codes;
}

/** After a factor was added or removed: the user's other sessions end (this one stays). */
async function factorsChanged(caller: Principal, userId: string): Promise<void> {
  await revokeOtherConsoleSessions(userId, caller.sessionId);
}

export async function getMyMfa(caller: Principal): Promise<MyMfa> {
  return audited(call(caller, "ListMFADevices", {}, { readOnly: true }), async () => {
    const userId = self(caller, "iam:ListMFADevices");
    const [factors, recoveryCodesLeft, requiredByRole] = await Promise.all([
      prisma.mfaFactor.findMany({ where: { userId, confirmed: true }, orderBy: { createdAt: "asc" } }),
      prisma.recoveryCode.count({ where: { userId, usedAt: null } }),
      roleRequiresMfa(caller.role),
    ]);
    return {
      factors: factors.map((f) => ({ id: f.id, type: f.type as MfaFactorSummary["type"], name: f.name, createdAt: f.createdAt.toISOString(), lastUsedAt: f.lastUsedAt?.toISOString() ?? null })),
      recoveryCodesLeft,
      requiredByRole,
    };
  });
}

/**
 * A user who already has a factor proves one again before adding another: otherwise a stolen
 * session could add the thief's authenticator (and its recovery codes) and keep the account.
 */
async function requireStepUpToAddFactor(caller: Principal, userId: string): Promise<void> {
  if (await userHasMfa(userId)) await requireMfaStepUp(caller);
}

/** Step 1 of TOTP enrolment: a new secret (wrapped by the root key) as a QR code and text. */
export async function beginTotpEnrolment(caller: Principal, input: unknown): Promise<{ factorId: string; secret: string; uri: string; qrDataUrl: string }> {
  return audited(call(caller, "CreateVirtualMFADevice", input, { recordedResponse: (v) => ({ factorId: (v as { factorId: string }).factorId }) }), async () => {
    const userId = self(caller, "iam:CreateVirtualMFADevice");
    await requireStepUpToAddFactor(caller, userId);
    const { name } = validate(totpBeginSchema, input);
    // Abandoned enrolments of this user go: only the newest one can be confirmed.
    await prisma.mfaFactor.deleteMany({ where: { userId, type: "totp", confirmed: false } });
    const secret = newTotpSecret();
    const factor = await prisma.mfaFactor.create({ data: { userId, type: "totp", name } });
    await prisma.mfaFactor.update({ where: { id: factor.id }, data: { secretWrapped: await wrapTotpSecret(await rootKeyStore(), factor.id, secret) } });
    const uri = totpUri(caller.username, secret);
    return { factorId: factor.id, secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
  });
}

/**
 * The last step of an enrolment, audited as IAM's EnableMFADevice: `request` is what the record
 * names, and the response records only how many recovery codes came with it. `enable` checks the
 * caller's proof and stores the confirmed factor; then the user's other sessions end, and the first
 * factor (no unused recovery codes yet) also brings recovery codes.
 */
async function enableMfaDevice(caller: Principal, request: Record<string, unknown>, enable: (userId: string) => Promise<void>): Promise<{ recoveryCodes: string[] | null }> {
  return audited(
    call(caller, "EnableMFADevice", request, { recordedResponse: (v) => ({ recoveryCodesIssued: (v as { recoveryCodes: string[] | null }).recoveryCodes?.length ?? 0 }) }),
    async () => {
      const userId = self(caller, "iam:EnableMFADevice");
      await enable(userId);
      const hasCodes = (await prisma.recoveryCode.count({ where: { userId, usedAt: null } })) > 0;
      await factorsChanged(caller, userId);
      return { recoveryCodes: hasCodes ? null : await issueRecoveryCodes(userId) };
    },
  );
}

/** Step 2: the first code proves the authenticator holds the secret. The first factor also brings recovery codes. */
export async function confirmTotpEnrolment(caller: Principal, input: unknown): Promise<{ recoveryCodes: string[] | null }> {
  const { factorId } = (input ?? {}) as { factorId?: unknown };
  return enableMfaDevice(caller, { factorId, type: "totp" }, async (userId) => {
    const { factorId, code } = validate(totpConfirmSchema, input);
    const factor = await prisma.mfaFactor.findUnique({ where: { id: factorId } });
    if (!factor || factor.userId !== userId || factor.type !== "totp" || factor.confirmed || !factor.secretWrapped) {
      throw new NotFoundException("No authenticator is waiting to be confirmed: start again");
    }
    const step = await checkTotpCode(await unwrapTotpSecret(await rootKeyStore(), factor.id, factor.secretWrapped), code, null);
    if (step === null) throw new ValidationException("That code is not correct. Enter the 6-digit code your authenticator app shows now.");
    await prisma.mfaFactor.update({ where: { id: factor.id }, data: { confirmed: true, lastTimeStep: step, lastUsedAt: new Date() } });
  });
}

/** Passkey enrolment, step 1: creation options; the challenge is kept on a single-use handle. */
export async function beginPasskeyEnrolment(caller: Principal, input: unknown): Promise<{ handle: string; options: unknown }> {
  return audited(call(caller, "CreatePasskeyChallenge", {}, { recordedResponse: () => ({}) }), async () => {
    const userId = self(caller, "iam:CreatePasskeyChallenge");
    await requireStepUpToAddFactor(caller, userId);
    const { origin } = validate(passkeyBeginSchema, input ?? {});
    const options = await registrationOptions(relyingParty(origin), { id: userId, username: caller.username }, await passkeysOf(userId));
    const handle = await createPending(userId, "webauthn-register", options.challenge);
    return { handle, options };
  });
}

/** Passkey enrolment, step 2: the browser's attestation, verified against the challenge. */
export async function finishPasskeyEnrolment(caller: Principal, input: unknown): Promise<{ recoveryCodes: string[] | null }> {
  const { name } = (input ?? {}) as { name?: unknown };
  return enableMfaDevice(caller, { name, type: "webauthn" }, async (userId) => {
    const { handle, name, response, origin } = validate(passkeyFinishSchema, input);
    const pending = await findPending(handle, "webauthn-register");
    if (!pending || pending.userId !== userId || !pending.challenge || !(await consumePending(pending.id))) {
      throw new ValidationException("The passkey request expired: start again");
    }
    const passkey = await verifyRegistration(relyingParty(origin), pending.challenge, response);
    if (!passkey) throw new ValidationException("The passkey could not be verified: try again");
    if (await prisma.mfaFactor.findUnique({ where: { credentialId: passkey.credentialId } })) throw new ValidationException("This passkey is already registered");
    await prisma.mfaFactor.create({
      data: { userId, type: "webauthn", name, confirmed: true, credentialId: passkey.credentialId, publicKey: passkey.publicKey, counter: BigInt(passkey.counter), transports: passkey.transports ?? [] },
    });
  });
}

/** Removing a factor needs a fresh step-up; the last one cannot go while the role requires MFA. */
export async function removeMyFactor(caller: Principal, input: unknown): Promise<void> {
  return audited(call(caller, "DeactivateMFADevice", input), async () => {
    const userId = self(caller, "iam:DeactivateMFADevice");
    const { factorId } = validate(factorSchema, input);
    await requireMfaStepUp(caller);
    const factor = await prisma.mfaFactor.findUnique({ where: { id: factorId } });
    if (!factor || factor.userId !== userId || !factor.confirmed) throw new NotFoundException(`No second factor ${factorId}`);
    const remaining = await prisma.mfaFactor.count({ where: { userId, confirmed: true, id: { not: factorId } } });
    if (remaining === 0 && (await roleRequiresMfa(caller.role))) throw new ValidationException("Your role requires MFA: add another factor before you remove this one");
    await prisma.mfaFactor.delete({ where: { id: factor.id } });
    // Without factors, recovery codes have nothing to recover.
    if (remaining === 0) await prisma.recoveryCode.deleteMany({ where: { userId } });
    await factorsChanged(caller, userId);
  });
}

/** A new set of recovery codes (the old ones stop working); needs a fresh step-up. */
export async function regenerateRecoveryCodes(caller: Principal): Promise<{ recoveryCodes: string[] }> {
  return audited(call(caller, "CreateRecoveryCodes", {}, { recordedResponse: (v) => ({ recoveryCodesIssued: (v as { recoveryCodes: string[] }).recoveryCodes.length }) }), async () => {
    const userId = self(caller, "iam:CreateRecoveryCodes");
    await requireMfaStepUp(caller);
    if ((await prisma.mfaFactor.count({ where: { userId, confirmed: true } })) === 0) throw new ValidationException("Set up an authenticator or passkey first");
    return { recoveryCodes: await issueRecoveryCodes(userId) };
  });
}
