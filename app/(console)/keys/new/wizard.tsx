"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError, unwrap } from "@/components/keys/client";
import { generatePolicy } from "@/components/keys/policy";
import { TYPE_SPECS, type KeyType } from "@/components/keys/spec-help";
import { aliasError, descriptionError, fullAlias, tagKeyError, tagValueError } from "@/components/keys/validation";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { policySchemaDiagnostics as policyProblems } from "@/components/policy/policy-lint";
import { useToast } from "@/components/ui/toast";
import type { KeyPrincipal } from "@/lib/console/keys/types";
import { usagesFor, type KeySpec, type KeyUsage } from "@/lib/crypto/specs";
import {
  checkAliasAction,
  createAliasAction,
  createKeyAction,
  enableRotationAction,
  getParametersForImportAction,
  importKeyMaterialAction,
} from "../actions";
import { materialError, rotationError, type MaterialChoice, type Origin, type RotationChoice } from "./creation-options";
import { LabelsStep } from "./labels-step";
import { PeopleStep } from "./people-step";
import { ReviewStep, type Progress } from "./review-step";
import { TypeStep, usagesForType } from "./type-step";
import { generateMaterial, parseMaterial, wrapMaterial } from "./wrap-material";
import { keyStoreRequest, type PickableKeyStore } from "@/components/key-stores/key-store-picker";

// The create-key wizard: its state, the step navigation and the creation
// sequence (key, alias, then import or rotation). Each step's form is its own
// component (type-step, labels-step, people-step, review-step).
const STEPS = ["Key type", "Labels", "Key administrators", "Key usage permissions", "Review"] as const;

const ADMIN_ROLES = ["ADMINISTRATOR", "KEY_ADMINISTRATOR"];
const USER_ROLES = ["ADMINISTRATOR", "KEY_USER"];

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
          <TypeStep
            type={type}
            usage={usage}
            spec={spec}
            keyStore={keyStore}
            keyStores={keyStores}
            origin={origin}
            rotation={rotation}
            chooseType={chooseType}
            chooseUsage={chooseUsage}
            setSpec={setSpec}
            setKeyStore={setKeyStore}
            setOrigin={setOrigin}
            setRotation={setRotation}
          />
        )}

        {step === 1 && (
          <LabelsStep
            alias={alias}
            setAlias={setAlias}
            aliasProblem={aliasProblem}
            aliasTouched={aliasTouched}
            aliasServerError={aliasServerError}
            setAliasServerError={setAliasServerError}
            description={description}
            setDescription={setDescription}
            tags={tags}
            setTags={setTags}
            tagProblems={tagProblems}
          />
        )}

        {step === 2 && (
          <PeopleStep
            principals={principals}
            roles={ADMIN_ROLES}
            picked={admins}
            setPicked={setAdmins}
            legend="Key administrators"
            help="Key administrators can manage this key (enable, disable, tag, rotate, schedule deletion) but not use it for cryptography."
          />
        )}
        {step === 3 && (
          <PeopleStep
            principals={principals}
            roles={USER_ROLES}
            picked={users}
            setPicked={setUsers}
            legend="Key users"
            help="Key users can use this key in cryptographic operations allowed by its usage."
          />
        )}

        {step === 4 && (
          <ReviewStep
            spec={spec}
            usage={usage}
            storeId={storeId}
            keyStores={keyStores}
            aliasName={aliasName}
            description={description}
            tags={tags}
            admins={admins}
            users={users}
            importing={importing}
            rotating={rotating}
            rotation={rotation}
            material={material}
            setMaterial={setMaterial}
            effectivePolicy={effectivePolicy}
            policyEdited={policyEdited}
            setPolicy={setPolicy}
            setPolicyEdited={setPolicyEdited}
            progress={progress}
          />
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
