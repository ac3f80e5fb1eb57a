// Finding a token by its label among the slots that hold one.
import pkcs11js from "pkcs11js";
import { HsmError } from "./errors";
import type { Handle, Pkcs11 } from "./module";

export interface TokenSlot {
  slot: Handle;
  initialized: boolean;
  userPinInitialized: boolean;
}

/** Token labels are blank-padded to 32 bytes. */
const labelOf = (module: Pkcs11, slot: Handle) => module.C_GetTokenInfo(slot).label.trim();

export function findToken(module: Pkcs11, label: string): TokenSlot | undefined {
  for (const slot of module.C_GetSlotList(true)) {
    if (labelOf(module, slot) !== label) continue;
    const { flags } = module.C_GetTokenInfo(slot);
    return {
      slot,
      initialized: (flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0,
      userPinInitialized: (flags & pkcs11js.CKF_USER_PIN_INITIALIZED) !== 0,
    };
  }
  return undefined;
}

export function requireToken(module: Pkcs11, label: string): TokenSlot {
  const token = findToken(module, label);
  if (!token) throw new HsmError("CLUSTER_NOT_FOUND", `No token labelled '${label}' is present in the PKCS#11 library.`);
  return token;
}
