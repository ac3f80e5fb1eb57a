"use client";

import { Field, Select } from "@/components/ui/field";

export interface PickableKeyStore {
  id: string;
  name: string;
  clusterId: string;
}

/** Where a new key lives: Keyhold's own key store (the default), or a connected custom key store (HSM). */
export function KeyStorePicker({
  stores,
  value,
  onChange,
}: {
  stores: PickableKeyStore[];
  value: string;
  onChange: (storeId: string) => void;
}) {
  if (stores.length === 0) return null;
  return (
    <Field
      label="Key store"
      hint="A key in a custom key store is generated and used inside the HSM and never leaves it. Only symmetric encryption keys, and they do not rotate."
    >
      {(p) => (
        <Select {...p} value={value} onChange={(e) => onChange(e.target.value)} className="max-w-md" data-testid="key-store-picker">
          <option value="">Keyhold (root key)</option>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} — HSM token {s.clusterId}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

/** The CreateKey fields for the chosen store. */
export const keyStoreRequest = (storeId: string) => (storeId ? { CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" } : {});
