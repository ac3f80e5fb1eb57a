"use client";

// The keys list's optional columns and which of them the admin chose to see,
// remembered in this browser (localStorage) across visits.
import { useCallback, useSyncExternalStore } from "react";

export const OPTIONAL_KEY_COLUMNS = [
  { id: "id", label: "Key ID" },
  { id: "description", label: "Description" },
  { id: "keySpec", label: "Key spec" },
  { id: "keyUsage", label: "Usage" },
  { id: "createdAt", label: "Created" },
  { id: "rotation", label: "Rotation" },
] as const;
export type KeyColumn = (typeof OPTIONAL_KEY_COLUMNS)[number]["id"];

// Created is off by default: with it, the list no longer fits a 1280 px screen.
const DEFAULT_COLUMNS: KeyColumn[] = ["id", "description", "keySpec", "keyUsage", "rotation"];
const STORAGE_KEY = "keyhold.keys.columns";
const listeners = new Set<() => void>();

function read(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

function parse(raw: string): KeyColumn[] {
  if (!raw) return DEFAULT_COLUMNS;
  const ids = new Set<string>(OPTIONAL_KEY_COLUMNS.map((c) => c.id));
  return raw.split(",").filter((c): c is KeyColumn => ids.has(c));
}

function subscribe(onChange: () => void) {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The visible optional columns, and a setter that shows or hides one. */
export function useKeyColumns(): { visible: Set<KeyColumn>; setVisible: (column: KeyColumn, on: boolean) => void } {
  // The server renders the defaults; the browser's choice follows on hydration.
  const raw = useSyncExternalStore(subscribe, read, () => "");
  const visible = new Set(parse(raw));
  const setVisible = useCallback((column: KeyColumn, on: boolean) => {
    const next = new Set(parse(read()));
    if (on) next.add(column);
    else next.delete(column);
    // "none" keeps an empty choice distinct from "never chosen" (the defaults).
    window.localStorage.setItem(STORAGE_KEY, [...next].join(",") || "none");
    listeners.forEach((l) => l());
  }, []);
  return { visible, setVisible };
}

/** Short spec names so the spec column stays on one line; the full name is in the cell's title. */
export const SPEC_SHORT: Record<string, string> = {
  SYMMETRIC_DEFAULT: "AES-256",
  ECC_NIST_P256: "P-256",
  ECC_NIST_P384: "P-384",
  ECC_NIST_P521: "P-521",
  ECC_SECG_P256K1: "secp256k1",
  ECC_NIST_EDWARDS25519: "Ed25519",
};

export const USAGE_SHORT: Record<string, string> = {
  ENCRYPT_DECRYPT: "Encrypt",
  SIGN_VERIFY: "Sign",
  GENERATE_VERIFY_MAC: "MAC",
  KEY_AGREEMENT: "Agreement",
};
