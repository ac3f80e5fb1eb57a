"use client";

import { Field, Input, Textarea } from "@/components/ui/field";
import { parseMaterial } from "./wrap-material";

export type Origin = "AWS_KMS" | "EXTERNAL";
export interface RotationChoice {
  on: boolean;
  days: string;
}
export interface MaterialChoice {
  mode: "generate" | "paste";
  pasted: string;
}

export const rotationError = (r: RotationChoice) => {
  const n = Number(r.days);
  return !r.on || (Number.isInteger(n) && n >= 90 && n <= 2560) ? "" : "The rotation period is 90 to 2560 days.";
};

export const materialError = (m: MaterialChoice) => {
  if (m.mode === "generate") return "";
  if (!m.pasted.trim()) return "Paste the key material, or generate it in this browser.";
  const parsed = parseMaterial(m.pasted);
  return "error" in parsed ? parsed.error : "";
};

/** Symmetric keys: Keyhold makes the key material, or the admin brings their own (Origin EXTERNAL). */
export function OriginChoice({ origin, onChange }: { origin: Origin; onChange: (o: Origin) => void }) {
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-2 font-medium">Key material origin</legend>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="radio" name="origin" checked={origin === "AWS_KMS"} onChange={() => onChange("AWS_KMS")} aria-describedby="origin-kms" />
        Keyhold generates the key material
      </label>
      <p id="origin-kms" className="ml-6 text-sm text-slate-600 dark:text-slate-400">
        Recommended. The material is created inside Keyhold and never leaves it.
      </p>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="radio" name="origin" checked={origin === "EXTERNAL"} onChange={() => onChange("EXTERNAL")} aria-describedby="origin-external" />
        Import your own key material
      </label>
      <p id="origin-external" className="ml-6 text-sm text-slate-600 dark:text-slate-400">
        You keep a copy (for escrow or another system). Your browser wraps it with Keyhold&apos;s public wrapping key; only the wrapped
        material is uploaded. Imported keys do not rotate automatically.
      </p>
    </fieldset>
  );
}

/** Automatic rotation at creation (Keyhold-made symmetric keys). */
export function RotationChoiceField({ value, onChange }: { value: RotationChoice; onChange: (r: RotationChoice) => void }) {
  const error = rotationError(value);
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-2 font-medium">Key rotation</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={value.on} onChange={(e) => onChange({ ...value, on: e.target.checked })} />
        Rotate the key material automatically
      </label>
      {value.on && (
        <div className="ml-6 w-56">
          <Field label="Rotation period (days)" error={error} hint="90 to 2560 days; older material keeps decrypting.">
            {(p) => <Input {...p} type="number" min={90} max={2560} value={value.days} onChange={(e) => onChange({ ...value, days: e.target.value })} />}
          </Field>
        </div>
      )}
    </fieldset>
  );
}

/** Where the imported material comes from; it is wrapped in the browser either way. */
export function MaterialChoiceField({ value, onChange }: { value: MaterialChoice; onChange: (m: MaterialChoice) => void }) {
  const error = value.mode === "paste" && value.pasted ? materialError(value) : "";
  return (
    <fieldset className="flex flex-col gap-2 rounded-md border border-slate-200 p-4 dark:border-slate-700">
      <legend className="px-1 font-medium">Key material to import</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="material" checked={value.mode === "generate"} onChange={() => onChange({ ...value, mode: "generate" })} />
        Generate 256 random bits in this browser (WebCrypto)
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="material" checked={value.mode === "paste"} onChange={() => onChange({ ...value, mode: "paste" })} />
        Paste my key material
      </label>
      {value.mode === "paste" && (
        <Field label="Key material (hex or base64, 32 bytes)" error={error}>
          {(p) => (
            <Textarea
              {...p}
              rows={2}
              spellCheck={false}
              autoComplete="off"
              className="font-mono text-xs"
              value={value.pasted}
              onChange={(e) => onChange({ ...value, pasted: e.target.value })}
            />
          )}
        </Field>
      )}
      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="import-explanation">
        What travels where: your browser asks Keyhold for a one-time RSA wrapping public key and import token, encrypts the material
        with RSA-OAEP (SHA-256) here, and sends only the wrapped bytes and the token. Keyhold unwraps them inside the service and keeps
        the material wrapped by its root key. Material generated here is never shown or kept: to hold a copy outside Keyhold, make it yourself and paste it.
      </p>
    </fieldset>
  );
}
