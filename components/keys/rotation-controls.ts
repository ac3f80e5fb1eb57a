// What the key page's rotation controls offer, and why not when they don't:
// the key's kind and state, and the caller's access on this key (the key
// policy's decision, with the statement that made it). Pure: rotation-controls.test.ts.
import { explainDenial } from "@/components/policy/decision-text";
import type { ControlAccess, KeyDetail } from "@/lib/console/keys/types";

export interface RotationAccess {
  enable: ControlAccess;
  disable: ControlAccess;
  onDemand: ControlAccess;
}

export interface Control {
  enabled: boolean;
  /** Why the control is unavailable; absent when it is available. */
  why?: string;
}

type RotationKey = Pick<KeyDetail, "keyState" | "origin" | "rotationEnabled" | "onDemandRotations" | "onDemandRotationLimit">;

const denied = (a: ControlAccess, action: string) =>
  a.deniedBy ? `Your access does not allow it. ${explainDenial(a.deniedBy)}` : `Your access does not allow ${action} on this key.`;

/** The first reason that applies, in the order a person would fix them. */
function control(reasons: Array<string | false>): Control {
  const why = reasons.find((r): r is string => !!r);
  return why ? { enabled: false, why } : { enabled: true };
}

export function rotationControls(k: RotationKey, access: RotationAccess): { automatic: Control; onDemand: Control } {
  const hsm = k.origin === "AWS_CLOUDHSM" && "Keys in a custom key store (HSM) cannot be rotated: their key material lives in the HSM.";
  const toggle = k.rotationEnabled ? access.disable : access.enable;
  return {
    automatic: control([
      hsm,
      k.origin === "EXTERNAL" && "Automatic rotation is not available for imported key material: import new material and rotate on demand.",
      !toggle.allowed && denied(toggle, k.rotationEnabled ? "kms:DisableKeyRotation" : "kms:EnableKeyRotation"),
      k.keyState !== "Enabled" && "The key must be enabled to change rotation.",
    ]),
    onDemand: control([
      hsm,
      !access.onDemand.allowed && denied(access.onDemand, "kms:RotateKeyOnDemand"),
      k.keyState !== "Enabled" && "The key must be enabled to rotate it.",
      k.onDemandRotations >= k.onDemandRotationLimit && `All ${k.onDemandRotationLimit} on-demand rotations of this key are used.`,
    ]),
  };
}
