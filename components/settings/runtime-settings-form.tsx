"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-footer";
import { useToast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/console/result";
import { RUNTIME_SETTING_LIMITS, type RuntimeSettings, type RuntimeSettingsPatch } from "@/lib/settings/runtime-schema";

const sourceNote = { default: "default", database: "set here", environment: "set by the environment, read-only" } as const;

function intError(raw: string, { min, max }: { min: number; max: number }, what: string): string {
  const n = Number(raw);
  return raw.trim() !== "" && Number.isInteger(n) && n >= min && n <= max ? "" : `${what}: a whole number from ${min} to ${max}.`;
}

/** Audit retention and sign-in lockout: checked here, validated and audited by the server on Save. */
export function RuntimeSettingsForm({
  settings,
  canEdit,
  save,
}: {
  settings: RuntimeSettings;
  canEdit: boolean;
  save: (patch: RuntimeSettingsPatch) => Promise<ActionResult<RuntimeSettings>>;
}) {
  const router = useRouter();
  const toast = useToast();
  const retentionLocked = settings.auditRetentionDays.source === "environment";
  const [keepForever, setKeepForever] = useState(settings.auditRetentionDays.value === null);
  const [retention, setRetention] = useState(String(settings.auditRetentionDays.value ?? 365));
  const [threshold, setThreshold] = useState(String(settings.lockoutThreshold.value));
  const [minutes, setMinutes] = useState(String(settings.lockoutMinutes.value));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  const errors = {
    retention: keepForever || retentionLocked ? "" : intError(retention, RUNTIME_SETTING_LIMITS.auditRetentionDays, "Retention"),
    threshold: intError(threshold, RUNTIME_SETTING_LIMITS.lockoutThreshold, "Threshold"),
    minutes: intError(minutes, RUNTIME_SETTING_LIMITS.lockoutMinutes, "Lock duration"),
  };
  const patch: RuntimeSettingsPatch = {
    ...(retentionLocked ? {} : { auditRetentionDays: keepForever ? null : Number(retention) }),
    lockoutThreshold: Number(threshold),
    lockoutMinutes: Number(minutes),
  };
  const changed =
    (!retentionLocked && patch.auditRetentionDays !== settings.auditRetentionDays.value) ||
    patch.lockoutThreshold !== settings.lockoutThreshold.value ||
    patch.lockoutMinutes !== settings.lockoutMinutes.value;
  const invalid = Object.values(errors).some(Boolean);
  const disabled = !canEdit || busy;

  return (
    <form
      aria-labelledby="runtime-settings-title"
      className="flex flex-col gap-5 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={async (e) => {
        e.preventDefault();
        if (invalid || !changed) return;
        setBusy(true);
        setError("");
        const result = await save(patch);
        setBusy(false);
        // A retention that purges sooner may be held for approval: the Approvals page shows the request.
        if (!result.ok && result.error.approvalRequestId) return toast("info", `Approval requested. ${result.error.message}`);
        if (!result.ok) return setError(result.error.message);
        toast("success", "Settings saved");
        router.refresh();
      }}
    >
      <div>
        <h2 id="runtime-settings-title" className="text-lg font-medium">
          Audit retention and sign-in lockout
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {canEdit ? "Every change is recorded in the audit trail (UpdateSettings)." : "Only administrators can change these settings."}
        </p>
      </div>
      <fieldset className="flex flex-col gap-2" disabled={disabled || retentionLocked}>
        <legend className="text-sm font-medium">
          Audit retention <span className="font-normal text-slate-600 dark:text-slate-400">({sourceNote[settings.auditRetentionDays.source]})</span>
        </legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={keepForever} onChange={(e) => setKeepForever(e.target.checked)} />
          Keep every event (never purge)
        </label>
        {!keepForever && (
          <div className="w-56">
            <Field label="Purge events older than (days)" error={errors.retention} hint="Purged only up to a signed digest; at least 30 days.">
              {(p) => <Input {...p} type="number" inputMode="numeric" value={retention} onChange={(e) => setRetention(e.target.value)} />}
            </Field>
          </div>
        )}
      </fieldset>
      <fieldset className="flex flex-wrap gap-4" disabled={disabled}>
        <legend className="mb-2 text-sm font-medium">Sign-in lockout</legend>
        <div className="w-56">
          <Field label="Lock after failed sign-ins" error={errors.threshold} hint={sourceNote[settings.lockoutThreshold.source]}>
            {(p) => <Input {...p} type="number" inputMode="numeric" value={threshold} onChange={(e) => setThreshold(e.target.value)} />}
          </Field>
        </div>
        <div className="w-56">
          <Field label="Lock duration (minutes)" error={errors.minutes} hint={sourceNote[settings.lockoutMinutes.source]}>
            {(p) => <Input {...p} type="number" inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />}
          </Field>
        </div>
      </fieldset>
      <FormError message={error} />
      {canEdit && (
        <div>
          <Button type="submit" busy={busy} disabled={invalid || !changed}>
            Save settings
          </Button>
        </div>
      )}
    </form>
  );
}
