"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sealRootKeyAction } from "@/app/(console)/settings/root-key-actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";

export function SealNowButton() {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  async function seal() {
    setBusy(true);
    const result = await sealRootKeyAction();
    setBusy(false);
    setOpen(false);
    if (!result.ok) return toast("error", result.error.message);
    toast("success", "Keyhold is sealed: custodians must enter their shares to unseal it");
    router.refresh();
  }

  return (
    <>
      <Button variant="danger" size="sm" onClick={() => setOpen(true)}>
        Seal now
      </Button>
      <ConfirmDialog open={open} title="Seal Keyhold now?" confirmLabel="Seal now" tone="danger" busy={busy} typeToConfirm="SEAL" onConfirm={seal} onClose={() => setOpen(false)}>
        The root key and every cached key are dropped from memory at once. Until enough custodians enter their unseal shares,
        every KMS API call and console key operation fails with a retryable error.
      </ConfirmDialog>
    </>
  );
}
