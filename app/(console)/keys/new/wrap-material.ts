// Bring your own key, in the browser: key material generated here or pasted,
// wrapped with the service's RSA-OAEP (SHA-256) public key by WebCrypto. Only
// the wrapped bytes leave the browser; the plaintext never reaches the server.

/** 256-bit material for SYMMETRIC_DEFAULT. */
export const MATERIAL_BYTES = 32;

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toBase64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));

/** Pasted material as bytes: 64 hex digits or base64 of 32 bytes; an error message otherwise. */
export function parseMaterial(text: string): { bytes: Uint8Array } | { error: string } {
  const t = text.trim();
  if (/^[0-9a-fA-F]+$/.test(t)) {
    if (t.length !== MATERIAL_BYTES * 2) return { error: `Hex key material must be ${MATERIAL_BYTES * 2} digits (${MATERIAL_BYTES} bytes); this is ${t.length}.` };
    return { bytes: Uint8Array.from(t.match(/../g)!, (h) => parseInt(h, 16)) };
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(t);
  } catch {
    return { error: "Paste the key material as hex (64 digits) or base64." };
  }
  if (bytes.length !== MATERIAL_BYTES) return { error: `The key material must be ${MATERIAL_BYTES} bytes (256 bits); this is ${bytes.length}.` };
  return { bytes };
}

/** Fresh material from the browser's CSPRNG. */
export function generateMaterial(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(MATERIAL_BYTES));
}

/** RSAES_OAEP_SHA_256 wrap of `material` under the DER (SPKI) public key, base64 in and out. */
export async function wrapMaterial(publicKeyBase64: string, material: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("spki", fromBase64(publicKeyBase64), { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]);
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: "RSA-OAEP" }, key, material as Uint8Array<ArrayBuffer>));
  return toBase64(wrapped);
}
