// AAD for wrapping key material: binds the wrapped blob to its key ID, version and key spec, so
// a blob copied to another key row (or relabelled with another spec) fails to unwrap.
import { lengthPrefixed, u32be, uuidToBytes } from "../bytes";
import { isKeySpec, type KeySpec } from "../specs";
import { CryptoError } from "../errors";

const DOMAIN = Buffer.from("keyhold/key-material/v1", "utf8");

export function materialAad(keyId: string, version: number, keySpec: KeySpec): Buffer {
  if (!isKeySpec(keySpec)) throw new CryptoError("InvalidInput", "unknown key spec");
  return Buffer.concat([
    lengthPrefixed(DOMAIN),
    uuidToBytes(keyId),
    u32be(version),
    lengthPrefixed(Buffer.from(keySpec, "utf8")),
  ]);
}
