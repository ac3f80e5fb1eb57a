// What a key user is offered: in the playground only keys the policies let
// them use; on a key's page, controls they cannot use say why (rotation) or
// are not shown (the policy simulator, which needs an administrator or auditor).
import { CreateAliasCommand, CreateKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, keyhold, pickKey, signIn } from "./helpers";

async function apiKey(kms: KMSClient, alias: string, input: Record<string, unknown> = {}): Promise<string> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `key-user controls ${alias}`, ...input }));
  await kms.send(new CreateAliasCommand({ AliasName: `alias/${alias}`, TargetKeyId: KeyMetadata!.KeyId! }));
  return KeyMetadata!.KeyId!;
}

test("a key user sees only usable keys in the playground, and rotation controls that say why they are greyed out", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const run = Date.now();
  const user = { username: `keyuser-controls-${run}`, password: "key user controls password" };
  keyhold(["user", "create", "--username", user.username, "--role", "key-user", "--password-stdin"], user.password);
  const names = { usable: `e2e-usable-${run}`, closed: `e2e-closed-${run}`, imported: `e2e-imported-${run}` };
  const { kms, dispose } = apiClientFor(E2E_ADMIN.username, baseURL!);
  let usableId: string;
  let importedId: string;
  try {
    usableId = await apiKey(kms, names.usable);
    const account = (await kms.send(new CreateKeyCommand({ Description: "account probe" }))).KeyMetadata!.AWSAccountId!;
    // Only the administrator is named: the key user's role is never consulted for this key.
    const adminOnly = {
      Version: "2012-10-17",
      Statement: [{ Sid: "AdminOnly", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:user/${E2E_ADMIN.username}` }, Action: "kms:*", Resource: "*" }],
    };
    await apiKey(kms, names.closed, { Policy: JSON.stringify(adminOnly) });
    importedId = await apiKey(kms, names.imported, { Origin: "EXTERNAL" });
  } finally {
    dispose();
  }

  await signIn(page, user.username, user.password);
  await expect(page.getByRole("heading", { name: `Welcome, ${user.username}` })).toBeVisible();
  await page.goto("/playground");
  const picker = content(page).getByLabel("Key", { exact: true });
  // The picker searches on the server, among the keys this user may use only.
  const suggestions = page.getByRole("listbox", { name: "Matching keys" });
  await picker.fill(names.usable);
  await expect(suggestions.getByRole("option").filter({ has: page.getByText(`alias/${names.usable}`, { exact: true }) })).toHaveCount(1);
  await picker.fill(names.closed);
  await expect(suggestions).toContainText(`No key you may use matches “${names.closed}”.`);
  await expect(suggestions.getByRole("option")).toHaveCount(0);
  await pickKey(picker, `alias/${names.usable}`);
  await expect(content(page).getByTestId("key-facts")).toContainText("SYMMETRIC_DEFAULT");

  // The key user's role has no rotation actions: the controls say so, naming the delegating statement.
  await page.goto(`/keys/${usableId}`);
  await content(page).getByRole("tab", { name: "Key rotation" }).click();
  await expect(content(page).getByRole("switch", { name: "Automatic rotation" })).toBeDisabled();
  await expect(content(page).getByTestId("rotation-why")).toContainText("Your access does not allow it. kms:EnableKeyRotation on");
  await expect(content(page).getByTestId("rotation-why")).toContainText('(Sid "Enable IAM User Permissions") delegates to your role');
  await expect(content(page).getByRole("button", { name: "Rotate now" })).toBeDisabled();
  await expect(content(page).getByTestId("rotate-now-why")).toContainText("kms:RotateKeyOnDemand");
  // No simulator for a role that cannot simulate.
  await content(page).getByRole("tab", { name: "Key policy" }).click();
  await expect(content(page).getByRole("button", { name: "Simulate" })).toHaveCount(0);

  // The administrator, on a key with imported material: the reason is the key's, not the access.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
  await page.goto(`/keys/${importedId}`);
  await content(page).getByRole("tab", { name: "Key rotation" }).click();
  await expect(content(page).getByTestId("rotation-why")).toHaveText(
    "Automatic rotation is not available for imported key material: import new material and rotate on demand.",
  );
});
