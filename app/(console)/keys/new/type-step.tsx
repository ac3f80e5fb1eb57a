"use client";

// The wizard's first step: key type, usage and spec (with the algorithms they
// allow), the key store, where the material comes from, and rotation.
import { SPEC_LABELS, USAGE_LABELS } from "@/components/keys/labels";
import { KEY_TYPES, SPEC_HELP, TYPE_SPECS, USAGE_HELP, type KeyType } from "@/components/keys/spec-help";
import { KeyStorePicker, type PickableKeyStore } from "@/components/key-stores/key-store-picker";
import { cn } from "@/components/ui/cn";
import { Field, Select } from "@/components/ui/field";
import { algorithmsFor, KEY_USAGES, usagesFor, type KeySpec, type KeyUsage } from "@/lib/crypto/specs";
import { OriginChoice, RotationChoiceField, type Origin, type RotationChoice } from "./creation-options";

export function usagesForType(type: KeyType): KeyUsage[] {
  return KEY_USAGES.filter((u) => TYPE_SPECS[type].some((s) => usagesFor(s).includes(u)));
}

export function TypeStep({
  type,
  usage,
  spec,
  keyStore,
  keyStores,
  origin,
  rotation,
  chooseType,
  chooseUsage,
  setSpec,
  setKeyStore,
  setOrigin,
  setRotation,
}: {
  type: KeyType;
  usage: KeyUsage;
  spec: KeySpec;
  keyStore: string;
  keyStores: PickableKeyStore[];
  origin: Origin;
  rotation: RotationChoice;
  chooseType: (t: KeyType) => void;
  chooseUsage: (u: KeyUsage) => void;
  setSpec: (s: KeySpec) => void;
  setKeyStore: (id: string) => void;
  setOrigin: (o: Origin) => void;
  setRotation: (r: RotationChoice) => void;
}) {
  const specs = TYPE_SPECS[type].filter((s) => usagesFor(s).includes(usage));
  return (
    <>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-lg font-medium">Key type</legend>
        <div className="grid gap-3 md:grid-cols-3">
          {KEY_TYPES.map((t) => (
            <div
              key={t.id}
              className={cn(
                "flex flex-col gap-1 rounded-md border p-3 text-sm",
                type === t.id ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950/40" : "border-slate-200 dark:border-slate-700",
              )}
            >
              <label className="flex cursor-pointer items-center gap-2 font-medium">
                <input type="radio" name="keyType" checked={type === t.id} onChange={() => chooseType(t.id)} aria-describedby={`type-${t.id}`} />
                {t.label}
              </label>
              <p id={`type-${t.id}`} className="text-slate-600 dark:text-slate-400">
                {t.help}
              </p>
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 font-medium">Key usage</legend>
        {usagesForType(type).map((u) => (
          <div key={u} className="text-sm">
            <label className="flex items-center gap-2 font-medium">
              <input type="radio" name="keyUsage" checked={usage === u} onChange={() => chooseUsage(u)} aria-describedby={`usage-${u}`} />
              {USAGE_LABELS[u]}
            </label>
            <p id={`usage-${u}`} className="ml-6 text-slate-600 dark:text-slate-400">
              {USAGE_HELP[u]}
            </p>
          </div>
        ))}
      </fieldset>
      <Field label="Key spec" hint={SPEC_HELP[spec]}>
        {(p) => (
          <Select {...p} value={spec} onChange={(e) => setSpec(e.target.value as KeySpec)} className="max-w-md">
            {specs.map((s) => (
              <option key={s} value={s}>
                {SPEC_LABELS[s]} ({s})
              </option>
            ))}
          </Select>
        )}
      </Field>
      {spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" && <KeyStorePicker stores={keyStores} value={keyStore} onChange={setKeyStore} />}
      <div className="text-sm">
        <p className="font-medium">Algorithms this key allows</p>
        <ul className="mt-1 flex flex-wrap gap-2" data-testid="spec-algorithms">
          {algorithmsFor(spec, usage).map((a) => (
            <li key={a} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800">
              {a}
            </li>
          ))}
        </ul>
      </div>
      {spec === "SYMMETRIC_DEFAULT" && <OriginChoice origin={origin} onChange={setOrigin} />}
      {spec === "SYMMETRIC_DEFAULT" && origin === "AWS_KMS" && <RotationChoiceField value={rotation} onChange={setRotation} />}
    </>
  );
}
