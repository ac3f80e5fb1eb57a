// Verifies one fresh second factor of a user: a TOTP code, an unused
// recovery code, or a passkey assertion. Used by the sign-in's second step
// and by step-up. Codes and secrets never leave this module.
import type { KeyStore } from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import { hashRecoveryCode, looksLikeRecoveryCode } from "./recovery-codes";
import { checkTotpCode, unwrapTotpSecret } from "./totp";
import { verifyAuthentication, type RelyingParty } from "./webauthn";

export type SecondFactorProof =
  | { kind: "totp"; code: string }
  | { kind: "recovery"; code: string }
  | { kind: "webauthn"; response: unknown; challenge: string; rp: RelyingParty };

export type SecondFactorMethod = SecondFactorProof["kind"];

/** Whether the user has a usable second factor (a confirmed authenticator or a passkey). */
export async function userHasMfa(userId: string): Promise<boolean> {
  return (await prisma.mfaFactor.count({ where: { userId, confirmed: true } })) > 0;
}

async function totpMatches(store: KeyStore, userId: string, code: string): Promise<boolean> {
  const factors = await prisma.mfaFactor.findMany({ where: { userId, type: "totp", confirmed: true } });
  for (const f of factors) {
    if (!f.secretWrapped) continue;
    const step = await checkTotpCode(await unwrapTotpSecret(store, f.id, f.secretWrapped), code, f.lastTimeStep);
    if (step === null) continue;
    // Only one request can move the step forward: a replayed code loses here.
    const { count } = await prisma.mfaFactor.updateMany({
      where: { id: f.id, OR: [{ lastTimeStep: null }, { lastTimeStep: { lt: step } }] },
      data: { lastTimeStep: step, lastUsedAt: new Date() },
    });
    if (count === 1) return true;
  }
  return false;
}

async function recoveryCodeMatches(userId: string, code: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const { count } = await prisma.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(code), usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}

async function passkeyMatches(userId: string, proof: Extract<SecondFactorProof, { kind: "webauthn" }>): Promise<boolean> {
  const id = (proof.response as { id?: unknown } | null)?.id;
  if (typeof id !== "string") return false;
  const factor = await prisma.mfaFactor.findUnique({ where: { credentialId: id } });
  if (!factor || factor.userId !== userId || factor.type !== "webauthn" || !factor.publicKey || !factor.credentialId) return false;
  const counter = await verifyAuthentication(proof.rp, proof.challenge, proof.response, {
    credentialId: factor.credentialId,
    publicKey: factor.publicKey,
    counter: factor.counter,
    transports: factor.transports,
  });
  if (counter === null) return false;
  await prisma.mfaFactor.update({ where: { id: factor.id }, data: { counter: BigInt(counter), lastUsedAt: new Date() } });
  return true;
}

export async function verifySecondFactor(store: KeyStore, userId: string, proof: SecondFactorProof): Promise<boolean> {
  switch (proof.kind) {
    case "totp":
      return typeof proof.code === "string" && totpMatches(store, userId, proof.code);
    case "recovery":
      return typeof proof.code === "string" && recoveryCodeMatches(userId, proof.code);
    case "webauthn":
      return passkeyMatches(userId, proof);
    default:
      return false;
  }
}

/** The user's passkeys, for an authentication ceremony. */
export async function passkeysOf(userId: string) {
  const rows = await prisma.mfaFactor.findMany({ where: { userId, type: "webauthn" } });
  return rows.filter((r) => r.credentialId && r.publicKey).map((r) => ({ credentialId: r.credentialId!, publicKey: r.publicKey!, counter: r.counter, transports: r.transports }));
}
