import { describe, expect, it } from "vitest";
import { rotationControls, type RotationAccess } from "./rotation-controls";

const ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const allowed = { allowed: true };
const all: RotationAccess = { enable: allowed, disable: allowed, onDemand: allowed };
const key = { keyState: "Enabled", origin: "AWS_KMS", rotationEnabled: false, onDemandRotations: 0, onDemandRotationLimit: 25 };

describe("rotation controls", () => {
  it("an enabled KMS-generated key the caller may manage: both available", () => {
    expect(rotationControls(key, all)).toEqual({ automatic: { enabled: true }, onDemand: { enabled: true } });
  });

  it("a refused caller is told which statement decided", () => {
    const access: RotationAccess = {
      ...all,
      enable: {
        allowed: false,
        deniedBy: { action: "kms:EnableKeyRotation", resource: ARN, reason: "no-identity-policy-allow", statement: { source: "key-policy", index: 0, sid: "Enable IAM User Permissions" } },
      },
      onDemand: { allowed: false },
    };
    const c = rotationControls(key, access);
    expect(c.automatic.enabled).toBe(false);
    expect(c.automatic.why).toContain('Your access does not allow it. kms:EnableKeyRotation on');
    expect(c.automatic.why).toContain('(Sid "Enable IAM User Permissions") delegates to your role');
    expect(c.onDemand.why).toBe("Your access does not allow kms:RotateKeyOnDemand on this key.");
  });

  it("turning rotation off is DisableKeyRotation's decision", () => {
    const c = rotationControls({ ...key, rotationEnabled: true }, { ...all, enable: { allowed: false } });
    expect(c.automatic.enabled).toBe(true);
  });

  it("the key's kind and state explain the rest", () => {
    expect(rotationControls({ ...key, origin: "AWS_CLOUDHSM" }, all).onDemand.why).toMatch(/custom key store/);
    const imported = rotationControls({ ...key, origin: "EXTERNAL" }, all);
    expect(imported.automatic.why).toMatch(/not available for imported key material/);
    expect(imported.onDemand.enabled).toBe(true);
    expect(rotationControls({ ...key, keyState: "Disabled" }, all).automatic.why).toBe("The key must be enabled to change rotation.");
    expect(rotationControls({ ...key, onDemandRotations: 25 }, all).onDemand.why).toBe("All 25 on-demand rotations of this key are used.");
  });
});
