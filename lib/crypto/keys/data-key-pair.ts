// GenerateDataKeyPair: a fresh key pair whose private half the service returns (plaintext
// and/or wrapped) and never stores. All AWS DataKeyPairSpecs except SM2 are supported.
import { CryptoError } from "../errors";
import { generateAsymmetricPair } from "../key-material";
import { isDataKeyPairSpec, type DataKeyPairSpec } from "../specs";

export interface DataKeyPair {
  /** PKCS#8 DER. Secret: wipe after use. */
  privateKeyDer: Buffer;
  /** SubjectPublicKeyInfo DER. */
  publicKeyDer: Buffer;
}

export function generateDataKeyPair(spec: DataKeyPairSpec): DataKeyPair {
  if (!isDataKeyPairSpec(spec)) throw new CryptoError("InvalidInput", "unsupported data key pair spec");
  return generateAsymmetricPair(spec);
}
