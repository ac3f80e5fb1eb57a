// The PKCS#11 root key store against a real SoftHSM2 token of the test's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSoftHsmToken, listTokenObjects, SOFTHSM_MODULE, softHsmAvailable, type SoftHsmToken } from "@/tests/support/softhsm-root";
import { CiphertextError } from "../../errors";
import { materialAad } from "../material-aad";
import { Pkcs11KeyStore } from "./store";

const ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

describe.skipIf(!softHsmAvailable())("Pkcs11KeyStore (SoftHSM2)", () => {
  let token: SoftHsmToken;
  const opened: Pkcs11KeyStore[] = [];
  const options = { module: SOFTHSM_MODULE, timeoutMs: 5000 };
  const open = async (create: boolean, keyLabel = "keyhold-root-key") => {
    const s = await Pkcs11KeyStore.open({ ...options, tokenLabel: token.tokenLabel, pin: token.pin, keyLabel, create });
    opened.push(s);
    return s;
  };
  beforeAll(() => {
    token = createSoftHsmToken();
    process.env.SOFTHSM2_CONF = token.conf; // read by SoftHSM at C_Initialize
  });
  afterAll(() => {
    for (const s of opened) s.close();
    token.remove();
  });

  // First: PKCS#11 login state is per process and token, so a wrong PIN is only seen before any login.
  it("refuses a wrong PIN and an unknown token without echoing the PIN", async () => {
    const wrongPin = "not-the-pin-123";
    const refused = await Pkcs11KeyStore.open({ ...options, tokenLabel: token.tokenLabel, pin: wrongPin, keyLabel: "k", create: true }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(refused?.message).toMatch(/login to token .* failed: CKR_PIN_INCORRECT/);
    expect(refused?.message).not.toContain(wrongPin);
    await expect(Pkcs11KeyStore.open({ ...options, tokenLabel: "no-such-token", pin: token.pin, keyLabel: "k", create: true })).rejects.toThrow(
      /no PKCS#11 token labelled "no-such-token"/,
    );
  });

  it("creates a non-extractable AES-256 key on the token and wraps inside it", async () => {
    await expect(open(false)).rejects.toThrow(/has no key labelled "keyhold-root-key"/);
    const store = await open(true);
    expect(store.describe()).toEqual({ kind: "pkcs11", module: SOFTHSM_MODULE, tokenLabel: token.tokenLabel, keyLabel: "keyhold-root-key" });
    const objects = listTokenObjects(token);
    expect(objects).toMatch(/Secret Key Object; AES length 32/);
    expect(objects).toMatch(/label:\s+keyhold-root-key/);
    expect(objects).toMatch(/Access:.*sensitive.*never extractable/);
    const aad = materialAad(ID, 1, "SYMMETRIC_DEFAULT");
    const blob = await store.wrap(Buffer.from("key material"), aad);
    expect(blob[0]).toBe(0x02);
    // A second session (another process, after a restart) finds the same key and unwraps.
    const again = await open(false);
    expect((await again.unwrap(blob, aad)).toString()).toBe("key material");
    await expect(again.unwrap(blob, materialAad(ID, 2, "SYMMETRIC_DEFAULT"))).rejects.toBeInstanceOf(CiphertextError);
    const changed = Buffer.from(blob);
    changed[changed.length - 1] ^= 1;
    await expect(again.unwrap(changed, aad)).rejects.toBeInstanceOf(CiphertextError);
    await expect(again.unwrap(Buffer.alloc(5), aad)).rejects.toBeInstanceOf(CiphertextError);
  });
});
