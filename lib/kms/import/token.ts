// Import tokens: opaque to the caller, they name the ImportParameters row
// holding the wrapping private key (never the key itself), the KMS key they
// were issued for and when they expire, under an HMAC of the import key.
//   "KHIT" | 0x01 | parameters ID (16) | key ID (16) | validTo ms (8, BE) | HMAC-SHA256 (32)
// Expiry is inside the MAC'd body, so an expired token is recognised as such
// even after the scheduler has purged its row.
import { InvalidImportTokenException } from "@/lib/errors";
import { importMac, macEquals, uuidBytes } from "./import-key";
import { messages } from "@/lib/errors/messages";

const MAGIC = Buffer.from("KHIT", "ascii");
const VERSION = 0x01;
const BODY_BYTES = 4 + 1 + 16 + 16 + 8;
const TOKEN_BYTES = BODY_BYTES + 32;
const PURPOSE = "import-token";

export interface ImportTokenFacts {
  parametersId: string;
  keyId: string;
  validTo: Date;
}

const uuidString = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export async function encodeImportToken(facts: ImportTokenFacts): Promise<Buffer> {
  const validTo = Buffer.alloc(8);
  validTo.writeBigUInt64BE(BigInt(facts.validTo.getTime()), 0);
  const body = Buffer.concat([MAGIC, Buffer.from([VERSION]), uuidBytes(facts.parametersId), uuidBytes(facts.keyId), validTo]);
  return Buffer.concat([body, await importMac(PURPOSE, body)]);
}

/** The facts of an authentic token, or InvalidImportTokenException (any other token, forged or changed). */
export async function decodeImportToken(token: Buffer): Promise<ImportTokenFacts> {
  const invalid = () => new InvalidImportTokenException(messages.importTokenInvalid);
  if (token.length !== TOKEN_BYTES || !token.subarray(0, 4).equals(MAGIC) || token[4] !== VERSION) throw invalid();
  const body = token.subarray(0, BODY_BYTES);
  if (!macEquals(await importMac(PURPOSE, body), token.subarray(BODY_BYTES))) throw invalid();
  return {
    parametersId: uuidString(body.subarray(5, 21)),
    keyId: uuidString(body.subarray(21, 37)),
    validTo: new Date(Number(body.readBigUInt64BE(37))),
  };
}
