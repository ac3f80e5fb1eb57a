"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError, unwrap } from "@/components/keys/client";
import { SPEC_LABELS, USAGE_LABELS } from "@/components/keys/labels";
import { generatePolicy } from "@/components/keys/policy";
import { KEY_TYPES, SPEC_HELP, TYPE_SPECS, USAGE_HELP, type KeyType } from "@/components/keys/spec-help";
import {
  ALIAS_PREFIX,
  aliasError,
  descriptionError,
  fullAlias,
  MAX_TAGS,
  tagKeyError,
  tagValueError,
} from "@/components/keys/validation";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { PolicyJsonField } from "@/components/policy/policy-json-field";
import { policySchemaDiagnostics as policyProblems } from "@/components/policy/policy-lint";
import { useToast } from "@/components/ui/toast";
import type { KeyPrincipal } from "@/lib/console/keys/types";
import { algorithmsFor, KEY_USAGES, usagesFor, type KeySpec, type KeyUsage } from "@/lib/crypto/specs";
import {
  checkAliasAction,
  createAliasAction,
  createKeyAction,
  enableRotationAction,
  getParametersForImportAction,
  importKeyMaterialAction,
} from "../actions";
import {
  materialError,
  MaterialChoiceField,
  OriginChoice,
  RotationChoiceField,
  rotationError,
  type MaterialChoice,
  type Origin,
  type RotationChoice,
} from "./creation-options";
import { generateMaterial, parseMaterial, wrapMaterial } from "./wrap-material";
import { KeyStorePicker, keyStoreRequest, type PickableKeyStore } from "@/components/key-stores/key-store-picker";

const STEPS = ["Key type", "Labels", "Key administrators", "Key usage permissions", "Review"] as const;

const ADMIN_ROLES = ["ADMINISTRATOR", "KEY_ADMINISTRATOR"];
const USER_ROLES = ["ADMINISTRATOR", "KEY_USER"];

function usagesForType(type: KeyType): KeyUsage[] {
  return KEY_USAGES.filter((u) => TYPE_SPECS[type].some((s) => usagesFor(s).includes(u)));
}

type Progress = { label: string; state: "running" | "done" | "failed" }[];

export function CreateKeyWizard({ account, principals, keyStores = [] }: { account: string; principals: KeyPrincipal[]; keyStores?: PickableKeyStore[] }) {
  const router = useRouter();
  const toast = useToast();
  const [step, setStep] = useState(0);
  const [type, setType] = useState<KeyType>("SYMMETRIC");
  const [usage, setUsage] = useState<KeyUsage>("ENCRYPT_DECRYPT");
  const [spec, setSpec] = useState<KeySpec>("SYMMETRIC_DEFAULT");
  const [keyStore, setKeyStore] = useState("");
  const storeId = spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" ? keyStore : "";
  const [alias, setAlias] = useState("");
  const [aliasTouched, setAliasTouched] = useState(false);
  const [aliasServerError, setAliasServerError] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState<Array<{ key: string; value: string }>>([]);
  const [admins, setAdmins] = useState<string[]>([]);
  const [users, setUsers] = useState<string[]>([]);
  const [policy, setPolicy] = useState("");
  const [policyEdited, setPolicyEdited] = useState(false);
  const [stepErrors, setStepErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress>([]);
  const [origin, setOrigin] = useState<Origin>("AWS_KMS");
  const [rotation, setRotation] = useState<RotationChoice>({ on: false, days: "365" });
  const [material, setMaterial] = useState<MaterialChoice>({ mode: "generate", pasted: "" });

  const specs = TYPE_SPECS[type].filter((s) => usagesFor(s).includes(usage));
  const aliasName = alias.trim() ? fullAlias(alias) : "";
  const aliasProblem = aliasName ? aliasError(aliasName) : "";
  const tagProblems = tags.map((t, i) => ({
    key: t.key || t.value ? tagKeyError(t.key, tags.slice(0, i).map((x) => x.key)) : "",
    value: tagValueError(t.value),
  }));
  const labelsValid = !aliasProblem && !descriptionError(description) && tagProblems.every((p) => !p.key && !p.value);
  const generated = generatePolicy({ account, spec, usage, administrators: admins, users });
  const effectivePolicy = policyEdited ? policy : generated;
  // Only symmetric keys can have imported material here, and imported keys do not rotate.
  const importing = spec === "SYMMETRIC_DEFAULT" && origin === "EXTERNAL";
  const rotating = spec === "SYMMETRIC_DEFAULT" && origin === "AWS_KMS" && rotation.on;

  function chooseType(t: KeyType) {
    setType(t);
    const u = usagesForType(t)[0]!;
    setUsage(u);
    setSpec(TYPE_SPECS[t].find((s) => usagesFor(s).includes(u))!);
  }
  function chooseUsage(u: KeyUsage) {
    setUsage(u);
    if (!usagesFor(spec).includes(u)) setSpec(TYPE_SPECS[type].find((s) => usagesFor(s).includes(u))!);
  }
  const setError = (s: number, message: string) => setStepErrors((e) => ({ ...e, [s]: message }));

  async function next() {
    setError(step, "");
    if (step === 0 && rotating && rotationError(rotation)) return setError(0, rotationError(rotation));
    if (step === 1) {
      setAliasTouched(true);
      if (!labelsValid) return;
      if (aliasName) {
        setBusy(true);
        const r = await checkAliasAction(aliasName);
        setBusy(false);
        if (!r.ok) return setError(1, r.error.message);
        if (!r.data.available) return setAliasServerError(r.data.message ?? "This alias already exists.");
      }
    }
    setStep((s) => Math.min(s + 1, STEPS.length - 1));
  }

  async function create() {
    setError(4, "");
    try {
      JSON.parse(effectivePolicy);
    } catch (e) {
      return setError(4, `The key policy is not valid JSON: ${(e as Error).message}`);
    }
    if (policyProblems(effectivePolicy).length) return setError(4, "Fix the problems marked in the key policy first.");
    if (importing && materialError(material)) return setError(4, materialError(material));
    setBusy(true);
    const steps: Progress = [{ label: "Creating the key", state: "running" }];
    if (aliasName) steps.push({ label: `Creating alias ${aliasName}`, state: "running" });
    setProgress(steps.slice(0, 1));
    let keyId: string;
    try {
      ({ keyId } = await unwrap(
        createKeyAction({
          KeySpec: spec,
          KeyUsage: usage,
          Description: description,
          Policy: effectivePolicy,
          Tags: tags.filter((t) => t.key).map((t) => ({ TagKey: t.key, TagValue: t.value })),
          ...(importing ? { Origin: "EXTERNAL" as const } : {}),
          ...keyStoreRequest(storeId),
        }),
      ));
    } catch (e) {
      setBusy(false);
      setProgress([{ label: "Creating the key", state: "failed" }]);
      const err = e as ActionError;
      if (err.type === "TagException") {
        setError(1, err.message);
        setStep(1);
      } else setError(4, err.message);
      return;
    }
    setProgress(steps.map((s, i) => (i === 0 ? { ...s, state: "done" } : s)));
    if (aliasName) {
      const r = await createAliasAction(keyId, aliasName);
      if (!r.ok) {
        toast("error", `The key was created, but its alias was not: ${r.error.message}`);
        router.push(`/keys/${keyId}?aliasError=${encodeURIComponent(r.error.message)}`);
        return;
      }
      setProgress(steps.map((s) => ({ ...s, state: "done" })));
    }
    const after = importing
      ? { label: "Wrapping the key material in this browser and importing it", run: () => importMaterial(keyId) }
      : rotating
        ? { label: `Turning on automatic rotation every ${rotation.days} days`, run: () => unwrap(enableRotationAction(keyId, Number(rotation.days))) }
        : null;
    if (after) {
      const done = steps.map((s) => ({ ...s, state: "done" as const }));
      setProgress([...done, { label: after.label, state: "running" }]);
      try {
        await after.run();
        setProgress([...done, { label: after.label, state: "done" }]);
      } catch (e) {
        // The key exists: say what is missing (or that its import awaits approval) and finish on its page.
        setProgress([...done, { label: after.label, state: "failed" }]);
        if ((e as ActionError).approvalRequestId) {
          toast("info", `Key ${aliasName || keyId} created; importing its material needs approval. ${(e as Error).message}`);
          router.push(`/keys/${keyId}`);
          return;
        }
        toast("error", `The key was created, but this step failed: ${(e as Error).message}`);
        router.push(`/keys/${keyId}`);
        return;
      }
    }
    toast("success", `Key ${aliasName || keyId} created`);
    router.push(`/keys/${keyId}`);
  }

  /** Bring your own key: only wrapped material leaves the browser; the plaintext bytes are zeroed after wrapping. */
  async function importMaterial(keyId: string) {
    const params = await unwrap(getParametersForImportAction(keyId));
    const parsed = material.mode === "generate" ? { bytes: generateMaterial() } : parseMaterial(material.pasted);
    if ("error" in parsed) throw new Error(parsed.error);
    let wrapped: string;
    try {
      wrapped = await wrapMaterial(params.publicKey, parsed.bytes);
    } finally {
      parsed.bytes.fill(0);
    }
    await unwrap(importKeyMaterialAction(keyId, wrapped, params.importToken));
    setMaterial({ mode: "generate", pasted: "" });
  }

  const peoplePicker = (roles: string[], picked: string[], setPicked: (v: string[]) => void, legend: string, help: string) => {
    const eligible = principals.filter((p) => roles.includes(p.role));
    return (
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-lg font-medium">{legend}</legend>
        <p className="text-sm text-slate-600 dark:text-slate-400">{help}</p>
        {eligible.length === 0 && <p className="text-sm">No users have a role that allows this. The account root keeps full access.</p>}
        <div className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {eligible.map((p) => (
            <label key={p.id} className="flex items-center gap-3 px-3 py-2 text-sm">
              <input
                type="checkbox"
                checked={picked.includes(p.username)}
                onChange={(e) => setPicked(e.target.checked ? [...picked, p.username] : picked.filter((u) => u !== p.username))}
              />
              <span className="font-medium">{p.username}</span>
              <span className="text-xs text-slate-600 dark:text-slate-400">{p.role.replace(/_/g, " ").toLowerCase()}</span>
              <span className="ml-auto hidden font-mono text-xs text-slate-600 md:inline dark:text-slate-400">{p.arn}</span>
            </label>
          ))}
        </div>
      </fieldset>
    );
  };

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Create key</h1>
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li
            key={label}
            aria-current={i === step ? "step" : undefined}
            className={cn(
              "rounded-full px-3 py-1",
              i === step
                ? "bg-indigo-600 text-white"
                : i < step
                  ? "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
                  : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
            )}
          >
            {i + 1}. {label}
          </li>
        ))}
      </ol>

      <section
        aria-label={`Step ${step + 1}: ${STEPS[step]}`}
        className="flex min-h-80 flex-col gap-5 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900"
      >
        {step === 0 && (
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
        )}

        {step === 1 && (
          <>
            <h2 className="text-lg font-medium">Alias, description and tags</h2>
            <Field
              label="Alias"
              hint="Optional. A friendly name applications can use instead of the key ID."
              error={aliasServerError || ((aliasTouched || alias) && aliasProblem ? aliasProblem : "")}
            >
              {(p) => (
                <div className="flex max-w-lg items-stretch">
                  <span className="inline-flex items-center rounded-l-md border border-r-0 border-slate-300 bg-slate-50 px-2 font-mono text-sm text-slate-600 dark:text-slate-400 dark:border-slate-600 dark:bg-slate-800">
                    {ALIAS_PREFIX}
                  </span>
                  <Input
                    {...p}
                    className="rounded-l-none font-mono"
                    value={alias.startsWith(ALIAS_PREFIX) ? alias.slice(ALIAS_PREFIX.length) : alias}
                    onChange={(e) => {
                      setAlias(e.target.value);
                      setAliasServerError("");
                    }}
                    autoComplete="off"
                    maxLength={300}
                  />
                </div>
              )}
            </Field>
            <Field label="Description" error={descriptionError(description)} hint="Optional. What the key protects and who owns it.">
              {(p) => <Textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} className="max-w-lg" />}
            </Field>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">Tags</legend>
              {tags.map((t, i) => (
                <div key={i} className="flex flex-wrap items-start gap-2">
                  <div className="w-56">
                    <Field label={`Tag key ${i + 1}`} error={tagProblems[i]?.key}>
                      {(p) => (
                        <Input {...p} value={t.key} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
                      )}
                    </Field>
                  </div>
                  <div className="w-56">
                    <Field label={`Tag value ${i + 1}`} error={tagProblems[i]?.value}>
                      {(p) => (
                        <Input {...p} value={t.value} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                      )}
                    </Field>
                  </div>
                  <Button variant="ghost" className="mt-6" aria-label={`Remove tag ${i + 1}`} onClick={() => setTags(tags.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </div>
              ))}
              <div>
                <Button variant="secondary" size="sm" disabled={tags.length >= MAX_TAGS} onClick={() => setTags([...tags, { key: "", value: "" }])}>
                  Add tag
                </Button>
                <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">
                  Up to {MAX_TAGS} tags; keys 1–128 characters, values up to 256; “aws:” is reserved.
                </span>
              </div>
            </fieldset>
          </>
        )}

        {step === 2 &&
          peoplePicker(
            ADMIN_ROLES,
            admins,
            setAdmins,
            "Key administrators",
            "Key administrators can manage this key (enable, disable, tag, rotate, schedule deletion) but not use it for cryptography.",
          )}
        {step === 3 &&
          peoplePicker(
            USER_ROLES,
            users,
            setUsers,
            "Key users",
            "Key users can use this key in cryptographic operations allowed by its usage.",
          )}

        {step === 4 && (
          <>
            <h2 className="text-lg font-medium">Review</h2>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm" data-testid="review-summary">
              <dt className="text-slate-600 dark:text-slate-400">Key spec</dt>
              <dd>{SPEC_LABELS[spec]} ({spec})</dd>
              <dt className="text-slate-600 dark:text-slate-400">Key usage</dt>
              <dd>{USAGE_LABELS[usage]}</dd>
              {storeId && <dt className="text-slate-600 dark:text-slate-400">Key store</dt>}
              {storeId && <dd>{keyStores.find((k) => k.id === storeId)?.name ?? storeId} (HSM)</dd>}
              <dt className="text-slate-600 dark:text-slate-400">Alias</dt>
              <dd className="font-mono">{aliasName || "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Description</dt>
              <dd>{description || "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Tags</dt>
              <dd>{tags.filter((t) => t.key).map((t) => `${t.key}=${t.value}`).join(", ") || "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Administrators</dt>
              <dd>{admins.join(", ") || "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Users</dt>
              <dd>{users.join(", ") || "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Key material</dt>
              <dd>{importing ? "Imported (wrapped in this browser)" : "Generated by Keyhold"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Rotation</dt>
              <dd>{rotating ? `Automatic, every ${rotation.days} days` : spec === "SYMMETRIC_DEFAULT" && !importing ? "Off" : "Not available for this key"}</dd>
            </dl>
            {importing && <MaterialChoiceField value={material} onChange={setMaterial} />}
            <PolicyJsonField
              label="Key policy"
              hint="Generated from your choices, in the AWS console's format. You may edit it; problems are marked as you type."
              value={effectivePolicy}
              onChange={(v) => {
                setPolicy(v);
                setPolicyEdited(true);
              }}
            />
            {policyEdited && (
              <div>
                <Button variant="ghost" size="sm" onClick={() => setPolicyEdited(false)}>
                  Reset to the generated policy
                </Button>
              </div>
            )}
            {progress.length > 0 && (
              <ul aria-label="Progress" className="flex flex-col gap-1 text-sm" aria-live="polite">
                {progress.map((p) => (
                  <li key={p.label}>
                    <span aria-hidden>{p.state === "done" ? "✓" : p.state === "failed" ? "✗" : "…"}</span> {p.label}
                    {p.state === "running" ? "…" : p.state === "failed" ? " (failed)" : ""}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}

        {stepErrors[step] && (
          <p role="alert" data-testid="step-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {stepErrors[step]}
          </p>
        )}
      </section>

      <div className="flex justify-between gap-2">
        <Button variant="secondary" onClick={() => (step === 0 ? router.push("/keys") : setStep(step - 1))} disabled={busy && step === 4}>
          {step === 0 ? "Cancel" : "Back"}
        </Button>
        {step < STEPS.length - 1 ? (
          <Button onClick={next} busy={busy} disabled={step === 1 && !labelsValid}>
            Next
          </Button>
        ) : (
          <Button onClick={create} busy={busy}>
            Create key
          </Button>
        )}
      </div>
    </div>
  );
}
