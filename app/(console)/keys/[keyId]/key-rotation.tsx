"use client";

import { useState } from "react";
import { unwrap } from "@/components/keys/client";
import { formatDate } from "@/components/keys/labels";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Switch } from "@/components/ui/switch";
import type { Control } from "@/components/keys/rotation-controls";
import type { KeyDetail } from "@/lib/console/keys/types";
import { disableRotationAction, enableRotationAction } from "../actions";
import type { Run } from "./run";

/** A control's reason for being unavailable, next to it. */
function Why({ control, testId }: { control: Control; testId: string }) {
  if (!control.why) return null;
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400" data-testid={testId}>
      {control.why}
    </p>
  );
}

export function Rotation({ k, controls, run, onRotate }: { k: KeyDetail; controls: { automatic: Control; onDemand: Control }; run: Run; onRotate: () => void }) {
  const [period, setPeriod] = useState(String(k.rotationPeriodInDays ?? 365));
  const n = Number(period);
  const periodError = Number.isInteger(n) && n >= 90 && n <= 2560 ? "" : "The rotation period is 90 to 2560 days.";
  const automatic = controls.automatic.enabled;
  const remaining = k.onDemandRotationLimit - k.onDemandRotations;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-3">
          <Switch
            checked={k.rotationEnabled}
            label="Automatic rotation"
            disabled={!automatic}
            onChange={(on) =>
              void run(
                () => unwrap(on ? enableRotationAction(k.id, periodError ? 365 : n) : disableRotationAction(k.id)),
                on ? "Automatic rotation enabled" : "Automatic rotation disabled",
                { rotationEnabled: on },
              )
            }
          />
          <span className="text-sm font-medium">Automatic rotation {k.rotationEnabled ? "on" : "off"}</span>
        </div>
        <Why control={controls.automatic} testId="rotation-why" />
      </div>
      <div className="flex flex-wrap items-start gap-2">
        <div className="w-48">
          <Field label="Rotation period (days)" error={periodError}>
            {(p) => <Input {...p} type="number" min={90} max={2560} value={period} onChange={(e) => setPeriod(e.target.value)} disabled={!automatic} />}
          </Field>
        </div>
        {automatic && k.rotationEnabled && (
          <Button
            variant="secondary"
            className="mt-6"
            disabled={!!periodError || n === k.rotationPeriodInDays}
            onClick={() => void run(() => unwrap(enableRotationAction(k.id, n)), "Rotation period saved", { rotationPeriodInDays: n })}
          >
            Save period
          </Button>
        )}
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Next rotation</dt>
        <dd>{k.rotationEnabled ? formatDate(k.nextRotationDate) : "—"}</dd>
        <dt className="text-slate-600 dark:text-slate-400">On-demand rotations left</dt>
        <dd data-testid="on-demand-remaining">
          {remaining} of {k.onDemandRotationLimit}
        </dd>
      </dl>
      <div className="flex flex-col items-start gap-1">
        <Button variant="secondary" disabled={!controls.onDemand.enabled} onClick={onRotate}>
          Rotate now
        </Button>
        <Why control={controls.onDemand} testId="rotate-now-why" />
      </div>
      <div>
        <h3 className="mb-2 font-medium">Rotation history</h3>
        {k.rotations.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">The key material has never been rotated.</p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Rotation history">
            <thead className="text-xs text-slate-600 dark:text-slate-400 uppercase">
              <tr>
                <th className="py-2">Date</th>
                <th className="py-2">Type</th>
                <th className="py-2">Key material</th>
                <th className="py-2">State</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {[...k.rotations].reverse().map((r) => (
                <tr key={r.KeyMaterialId}>
                  <td className="py-2">{formatDate(r.RotationDate)}</td>
                  <td className="py-2">{r.RotationType === "ON_DEMAND" ? "On demand" : r.RotationType === "AUTOMATIC" ? "Automatic" : "—"}</td>
                  <td className="py-2 font-mono text-xs">{r.KeyMaterialId.slice(0, 16)}…</td>
                  <td className="py-2">{r.KeyMaterialState === "CURRENT" ? "Current" : "Previous"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
