// Opens the root key store a data folder records (root-key-store.json), or the one configured for a
// first start: local (default), shamir (sealed until custodians unseal it) or pkcs11 (an HSM key).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Config } from "@/lib/config";
import { readCustodyRecord, writeCustodyRecord, type CustodyRecord, type RootKeyStoreKind } from "./custody-record";
import { loadLocalKeyStore, ROOT_KEY_FILE } from "./local";
import { hsmTimeoutMs } from "../pkcs11/settings";
import { DEFAULT_PKCS11_MODULE, Pkcs11KeyStore } from "./pkcs11/store";
import { ShamirKeyStore } from "./shamir";
import type { KeyStore } from "./types";

type StoreConfig = Pick<Config, "dataDir" | "rootKeyBase64" | "rootKeyStore" | "pkcs11">;

/** The PIN from KEYHOLD_PKCS11_PIN_FILE or KEYHOLD_PKCS11_PIN, read only when the token opens. */
export function pkcs11Pin(cfg: StoreConfig): string {
  if (cfg.pkcs11.pinFile) return fs.readFileSync(cfg.pkcs11.pinFile, "utf8").replace(/\r?\n$/, "");
  const pin = process.env.KEYHOLD_PKCS11_PIN;
  if (!pin) throw new Error("the pkcs11 root key store needs the token's user PIN: set KEYHOLD_PKCS11_PIN_FILE (preferred) or KEYHOLD_PKCS11_PIN");
  return pin;
}

export function openPkcs11Store(cfg: StoreConfig, record: CustodyRecord["pkcs11"] | undefined, create: boolean): Promise<Pkcs11KeyStore> {
  const tokenLabel = record?.tokenLabel ?? cfg.pkcs11.tokenLabel;
  if (!tokenLabel) throw new Error("the pkcs11 root key store needs KEYHOLD_PKCS11_TOKEN_LABEL (the token's label)");
  return Pkcs11KeyStore.open({
    // A recorded token and key stay authoritative; the module path may change (a new client version).
    module: cfg.pkcs11.module ?? record?.module ?? DEFAULT_PKCS11_MODULE,
    tokenLabel,
    keyLabel: record?.keyLabel ?? cfg.pkcs11.keyLabel,
    pin: pkcs11Pin(cfg),
    timeoutMs: hsmTimeoutMs(),
    create,
  });
}

/** The kind in use: the recorded one, which KEYHOLD_ROOT_KEY_STORE must not contradict. */
export function storeKind(cfg: StoreConfig, record = readCustodyRecord(cfg.dataDir)): RootKeyStoreKind {
  const recorded = record?.kind;
  if (recorded && cfg.rootKeyStore && cfg.rootKeyStore !== recorded) {
    throw new Error(
      `the data folder ${cfg.dataDir} uses the ${recorded} root key store, not ${cfg.rootKeyStore} (KEYHOLD_ROOT_KEY_STORE): ` +
        `move it with \`keyhold root-key migrate --to ${cfg.rootKeyStore}\`, or unset KEYHOLD_ROOT_KEY_STORE`,
    );
  }
  return recorded ?? cfg.rootKeyStore ?? "local";
}

export async function openRootKeyStore(cfg: StoreConfig): Promise<KeyStore> {
  const record = readCustodyRecord(cfg.dataDir);
  const kind = storeKind(cfg, record);
  if (kind === "local") return loadLocalKeyStore({ dataDir: cfg.dataDir, rootKeyBase64: cfg.rootKeyBase64 });
  if (kind === "shamir") {
    if (!record?.shamir) throw new Error("the shamir root key store is not set up yet: run `keyhold init --custodians N --threshold M` first");
    return new ShamirKeyStore(record.shamir, {
      onRekey: (shamir) => writeCustodyRecord(cfg.dataDir, { kind: "shamir", shamir }),
    });
  }
  if (record?.pkcs11) return openPkcs11Store(cfg, record.pkcs11, false);
  // First start on pkcs11: a local root key here means keys already wrapped by it (migrate instead).
  if (fs.existsSync(path.join(cfg.dataDir, ROOT_KEY_FILE)) || cfg.rootKeyBase64) {
    throw new Error("this data folder already has a local root key: move to the HSM with `keyhold root-key migrate --to pkcs11`");
  }
  const store = await openPkcs11Store(cfg, undefined, true);
  const d = store.describe();
  writeCustodyRecord(cfg.dataDir, { kind: "pkcs11", pkcs11: { module: String(d.module), tokenLabel: String(d.tokenLabel), keyLabel: String(d.keyLabel) } });
  return store;
}
