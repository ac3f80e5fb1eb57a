"use client";

import { useState } from "react";
import { keyName, unwrap } from "@/components/keys/client";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Select } from "@/components/ui/field";
import type { KeyDetail } from "@/lib/console/keys/types";
import { disableKeyAction, enableKeyAction, rotateNowAction, scheduleDeletionAction } from "../actions";
import type { Run } from "./run";

export type KeyAction = "enable" | "disable" | "schedule" | "rotate";

/** Confirmations for the key's state changes: enable/disable, rotate now, schedule deletion. */
export function KeyActionDialogs({ k, pending, onClose, run }: { k: KeyDetail; pending: KeyAction | null; onClose: () => void; run: Run }) {
  const [days, setDays] = useState(30);
  const name = keyName(k);
  return (
    <>
      <ConfirmDialog
        open={pending === "enable" || pending === "disable"}
        title={pending === "enable" ? "Enable key" : "Disable key"}
        confirmLabel={pending === "enable" ? "Enable" : "Disable"}
        tone={pending === "enable" ? "primary" : "danger"}
        onClose={onClose}
        onConfirm={() => {
          const enable = pending === "enable";
          onClose();
          void run(() => unwrap(enable ? enableKeyAction(k.id) : disableKeyAction(k.id)), `${name} ${enable ? "enabled" : "disabled"}`, {
            keyState: enable ? "Enabled" : "Disabled",
          });
        }}
      >
        {pending === "disable"
          ? `While ${name} is disabled, every cryptographic request with it fails with DisabledException.`
          : `${name} can be used for cryptographic operations again.`}
      </ConfirmDialog>

      <ConfirmDialog
        open={pending === "rotate"}
        title="Rotate key material now"
        confirmLabel="Rotate"
        onClose={onClose}
        onConfirm={() => {
          onClose();
          void run(() => unwrap(rotateNowAction(k.id)), `${name} rotated`);
        }}
      >
        New key material becomes current; older versions keep decrypting. {k.onDemandRotationLimit - k.onDemandRotations} of{" "}
        {k.onDemandRotationLimit} on-demand rotations remain for this key.
      </ConfirmDialog>

      <ConfirmDialog
        open={pending === "schedule"}
        title="Schedule key deletion"
        confirmLabel="Schedule deletion"
        tone="danger"
        typeToConfirm="delete"
        onClose={onClose}
        onConfirm={() => {
          onClose();
          const deletionDate = new Date(Date.now() + days * 86_400_000).toISOString();
          void run(() => unwrap(scheduleDeletionAction(k.id, days)), `${name} will be deleted in ${days} days`, {
            keyState: "PendingDeletion",
            deletionDate,
          });
        }}
      >
        <p>
          After the waiting period, {name} and its key material are destroyed: everything encrypted under it becomes unrecoverable. Until then
          the key cannot be used and the deletion can be cancelled.
        </p>
        <div className="mt-3">
          <Field label="Waiting period (days)" hint="Between 7 and 30 days.">
            {(p) => (
              <Select {...p} value={days} onChange={(e) => setDays(Number(e.target.value))} className="w-28">
                {Array.from({ length: 24 }, (_, i) => i + 7).map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      </ConfirmDialog>
    </>
  );
}
