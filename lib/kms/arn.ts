// Key and alias identifiers, as AWS accepts them: key ID, key ARN, alias
// name, alias ARN.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A multi-Region key ID: well-formed, so AWS answers "does not exist" for one it does not hold (Keyhold holds none). */
const MRK_ID = /^mrk-[0-9a-f]{32}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

export const isKeyId = (s: string) => UUID.test(s);

export function keyArn(region: string, account: string, keyId: string): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

export function aliasArn(region: string, account: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${account}:${aliasName}`;
}

export type KeyIdentifier =
  | { kind: "keyId"; keyId: string; raw: string }
  | { kind: "keyArn"; keyId: string; region: string; account: string; raw: string }
  | { kind: "alias"; aliasName: string; raw: string }
  | { kind: "aliasArn"; aliasName: string; region: string; account: string; raw: string }
  | { kind: "invalid"; raw: string };

export function parseKeyIdentifier(raw: string): KeyIdentifier {
  let m: RegExpExecArray | null;
  if (UUID.test(raw) || MRK_ID.test(raw)) return { kind: "keyId", keyId: raw, raw };
  if ((m = KEY_ARN.exec(raw))) return { kind: "keyArn", keyId: m[3]!, region: m[1]!, account: m[2]!, raw };
  if (raw.startsWith("alias/")) return { kind: "alias", aliasName: raw, raw };
  if ((m = ALIAS_ARN.exec(raw))) return { kind: "aliasArn", aliasName: m[3]!, region: m[1]!, account: m[2]!, raw };
  return { kind: "invalid", raw };
}
