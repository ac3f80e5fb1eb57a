// Password hashing with scrypt (memory-hard, from node:crypto: no native
// addon). Format: scrypt$N$r$p$salt$hash so parameters can be raised later
// without invalidating stored hashes.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

// N=2^15, r=8: 32 MiB per hash, ~60-100 ms on these machines.
const PARAMS = { N: 1 << 15, r: 8, p: 1 };
const KEY_LEN = 32;
const maxmem = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LEN, { ...PARAMS, maxmem });
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash of a random password: verifying against it costs as much as a real one (no user-enumeration by timing). */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword(randomBytes(16).toString("hex")));
}

/** A random password for generated accounts: 20 characters from an unambiguous alphabet (~115 bits). */
export function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const bytes = randomBytes(20);
  // 256 % 56 != 0: reject bytes above the largest multiple to stay uniform.
  let out = "";
  let pool = bytes;
  let i = 0;
  while (out.length < 20) {
    if (i >= pool.length) {
      pool = randomBytes(20);
      i = 0;
    }
    const b = pool[i++]!;
    if (b < 224) out += alphabet[b % 56];
  }
  return out;
}

export const passwordPolicy = { minLength: 12, maxLength: 256 } as const;
