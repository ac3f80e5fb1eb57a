// Passkeys (WebAuthn) through @simplewebauthn/server. The relying party is
// the console's own origin: NEXTAUTH_URL when set, else the origin the
// browser sent (which Next's server actions already require to match Host).
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { config } from "@/lib/config";

export interface RelyingParty {
  id: string;
  origin: string;
}

export function relyingParty(requestOrigin?: string): RelyingParty {
  const url = new URL(config().nextAuthUrl ?? requestOrigin ?? "http://localhost:3000");
  return { id: url.hostname, origin: url.origin };
}

export interface StoredPasskey {
  credentialId: string;
  publicKey: Uint8Array;
  counter: bigint;
  transports: unknown;
}

const transportsOf = (t: unknown) => (Array.isArray(t) ? (t as AuthenticatorTransport[]) : undefined);

export async function registrationOptions(
  rp: RelyingParty,
  user: { id: string; username: string },
  existing: StoredPasskey[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: "Keyhold",
    rpID: rp.id,
    userName: user.username,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

export interface NewPasskey {
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports?: string[];
}

/** The verified new credential, or null when the response does not answer the challenge. */
export async function verifyRegistration(rp: RelyingParty, challenge: string, response: unknown): Promise<NewPasskey | null> {
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    const { credential } = result.registrationInfo;
    return { credentialId: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: credential.counter, transports: credential.transports };
  } catch {
    return null;
  }
}

export async function authenticationOptions(rp: RelyingParty, passkeys: StoredPasskey[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    userVerification: "preferred",
  });
}

/** The new signature counter, or null when the assertion is not valid for this passkey and challenge. */
export async function verifyAuthentication(rp: RelyingParty, challenge: string, response: unknown, passkey: StoredPasskey): Promise<number | null> {
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter), transports: transportsOf(passkey.transports) },
      requireUserVerification: false,
    });
    return result.verified ? result.authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}
