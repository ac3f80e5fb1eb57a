"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { submitUnsealShareAction } from "@/app/(console)/settings/root-key-actions";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

interface Progress {
  sealed: boolean;
  entered: number;
  threshold: number;
  custodians: number;
}

/** One custodian at a time enters a share; the field is cleared after every attempt. */
export function UnsealForm({ initial }: { initial: Progress }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const share = String(new FormData(formEl).get("share") ?? "");
    setBusy(true);
    setError("");
    const result = await submitUnsealShareAction({ share });
    formEl.reset(); // the share does not stay in the page
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setProgress(result.data);
    if (!result.data.sealed) router.refresh();
  }

  if (!progress.sealed) {
    return (
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
        Keyhold is unsealed: keys can be used again.
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" autoComplete="off">
      <div className="flex flex-col gap-1">
        <p className="text-sm font-medium" id="unseal-progress">
          {progress.entered} of {progress.threshold} shares entered
        </p>
        <progress className="w-full" max={progress.threshold} value={progress.entered} aria-labelledby="unseal-progress" />
      </div>
      <Field label="Unseal share" hint={`Any ${progress.threshold} of the ${progress.custodians} custodians' shares unseal Keyhold; each custodian enters their own.`}>
        {(p) => <Input {...p} name="share" type="password" autoComplete="off" spellCheck={false} required placeholder="khs1-…" />}
      </Field>
      {error && (
        <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      )}
      <Button type="submit" busy={busy}>
        Enter share
      </Button>
    </form>
  );
}
