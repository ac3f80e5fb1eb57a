"use client";

import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { DialogActions, FormError } from "@/components/ui/form-footer";
import type { KeyStoreActions } from "./types";

/** Create a custom key store: a name, the token label, its user PIN and the HSM's trust anchor certificate. */
export function CreateKeyStoreDialog({
  create,
  onClose,
  onCreated,
  onHeld,
}: {
  create: KeyStoreActions["create"];
  onClose: () => void;
  onCreated: (name: string) => void;
  /** The creation was held for approval (the message names the request). */
  onHeld: (message: string) => void;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "");
    const input = {
      CustomKeyStoreName: text("name").trim(),
      CloudHsmClusterId: text("token").trim(),
      KeyStorePassword: text("pin"),
      TrustAnchorCertificate: text("anchor").trim(),
    };
    setBusy(true);
    setError("");
    const result = await create(input);
    setBusy(false);
    if (!result.ok) return result.error.approvalRequestId ? onHeld(result.error.message) : setError(result.error.message);
    onCreated(input.CustomKeyStoreName);
  }

  return (
    <Dialog open onClose={onClose} title="Create key store">
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        <Field label="Name">{(p) => <Input {...p} name="name" required maxLength={256} autoComplete="off" />}</Field>
        <Field label="Token label" hint="The label of the HSM token (AWS: CloudHsmClusterId), as the PKCS#11 library lists it.">
          {(p) => <Input {...p} name="token" required maxLength={32} autoComplete="off" />}
        </Field>
        <Field label="Token user PIN" hint="Kept only encrypted by the root key; never shown again.">
          {(p) => <Input {...p} name="pin" type="password" required maxLength={128} autoComplete="new-password" />}
        </Field>
        <Field label="Trust anchor certificate" hint="The PEM certificate that signed the HSM's certificate; kept for the record.">
          {(p) => <Textarea {...p} name="anchor" required rows={6} className="font-mono text-xs" placeholder="-----BEGIN CERTIFICATE-----" />}
        </Field>
        <FormError message={error} />
        <DialogActions onCancel={onClose} submitLabel="Create key store" busy={busy} />
      </form>
    </Dialog>
  );
}
