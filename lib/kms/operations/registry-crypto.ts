import type { KmsOperation } from "../operation";
import { deriveSharedSecret } from "./derive-shared-secret";
import { generateDataKeyPair, generateDataKeyPairWithoutPlaintext } from "./generate-data-key-pair";
import { generateRandom } from "./generate-random";
import { getPublicKey } from "./get-public-key";
import { generateMac, verifyMac } from "./mac";
import { reEncrypt } from "./re-encrypt";
import { sign, verify } from "./sign-verify";

// Cryptographic operations beyond Encrypt/Decrypt/GenerateDataKey.
export const cryptoOperations: Record<string, KmsOperation> = {
  ReEncrypt: reEncrypt,
  GenerateDataKeyPair: generateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext: generateDataKeyPairWithoutPlaintext,
  GenerateRandom: generateRandom,
  GetPublicKey: getPublicKey,
  Sign: sign,
  Verify: verify,
  GenerateMac: generateMac,
  VerifyMac: verifyMac,
  DeriveSharedSecret: deriveSharedSecret,
};
