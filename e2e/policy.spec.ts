import { mkdirSync } from "node:fs";
import { EncryptCommand, GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, keyhold, signIn } from "./helpers";

const SHOTS = "test-results/screenshots";
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

/** A user with no role (the password on stdin: no forced change) and an API client with their access key. */
function createNoRoleUser(baseURL: string, username: string): KMSClient {
  keyhold(["user", "create", "--username", username, "--password-stdin"], "policy user password 1\n");
  const { AccessKeyId, SecretAccessKey } = JSON.parse(keyhold(["access-key", "create", "--user", username, "--json"])) as {
    AccessKeyId: string;
    SecretAccessKey: string;
  };
  return new KMSClient({ endpoint: baseURL, region: "us-east-1", credentials: { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey } });
}

async function createKeyInWizard(page: Page, alias: string): Promise<string> {
  await page.goto("/keys/new");
  await expect(page.getByRole("heading", { name: "Create key" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "Symmetric", exact: true })).toBeChecked();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Alias", { exact: true }).fill(alias);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("group", { name: "Key administrators" })).toBeVisible();
  await page.getByRole("checkbox", { name: /^admin\b/ }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("group", { name: "Key users" })).toBeVisible();
  await page.getByRole("checkbox", { name: /^admin\b/ }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page).toHaveURL(/\/keys\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  return page.url().split("/").pop()!;
}

async function encryptAs(client: KMSClient, keyId: string): Promise<Error | undefined> {
  return client.send(new EncryptCommand({ KeyId: keyId, Plaintext: new TextEncoder().encode("policy test") })).then(
    (r) => {
      expect(r.CiphertextBlob?.length).toBeGreaterThan(0);
      return undefined;
    },
    (e: Error) => e,
  );
}

async function saveReviewed(page: Page, expectInDiff: RegExp) {
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("region", { name: "Review changes" });
  await expect(review.getByTestId("policy-diff")).toContainText(expectInDiff);
  await review.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Key policy saved" }).last()).toBeVisible();
  await expect(page.getByTestId("policy-status")).toHaveText("Saved");
}

async function simulate(scope: Page, username: string) {
  await scope.getByRole("group", { name: "Principals" }).getByRole("checkbox", { name: username }).check();
  const actions = scope.getByRole("group", { name: "Actions" });
  await expect(actions.getByRole("checkbox", { name: "kms:Encrypt", exact: true })).toBeChecked();
  await scope.getByRole("button", { name: "Run simulation" }).click();
}

test("an admin adds a key user in the policy tab; the user can encrypt through the API until removed", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const ts = Date.now();
  const username = `policy-user-${ts}`;
  const user = createNoRoleUser(baseURL!, username);

  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Roles" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Policy simulator" })).toBeVisible();

  const keyId = await createKeyInWizard(page, `e2e-policy-${ts}`);
  // Not named in the key policy, no role: denied.
  const before = await encryptAs(user, keyId);
  expect(before?.name).toBe("AccessDeniedException");
  expect(before?.message).toContain(`user/${username} is not authorized to perform: kms:Encrypt`);

  // Default view: the wizard's statements, as people pickers.
  await page.getByRole("tab", { name: "Key policy" }).click();
  await expect(page.getByRole("button", { name: "Default view" })).toHaveAttribute("aria-pressed", "true");
  const keyUsers = page.getByRole("list", { name: "Key users" });
  await expect(keyUsers).toContainText("admin");
  await expect(page.getByRole("list", { name: "Key administrators" })).toContainText("admin");
  await page.getByLabel("Key user to add").selectOption({ label: username });
  await page.getByRole("button", { name: "Add key user" }).click();
  await expect(keyUsers).toContainText(username);
  await expect(page.getByTestId("policy-status")).toHaveText("Unsaved changes");
  await saveReviewed(page, new RegExp(`Added:\\s*"arn:aws:iam::\\d{12}:user/${username}"`));
  await shot(page, "policy-default-view");

  // The user can encrypt now.
  expect(await encryptAs(user, keyId)).toBeUndefined();

  // The key's simulator agrees, naming the deciding statement.
  await page.getByRole("button", { name: "Simulate", exact: true }).click();
  await simulate(page, username);
  const allowRow = page.getByTestId(`simulation-${username}-kms:Encrypt`);
  await expect(allowRow).toContainText("Allowed");
  await expect(allowRow).toContainText('Sid "Allow use of the key"');
  await shot(page, "policy-simulate-panel");

  // Removing them denies again.
  await page.getByRole("button", { name: `Remove ${username} from key users` }).click();
  await expect(keyUsers).not.toContainText(username);
  await saveReviewed(page, new RegExp(`Removed:\\s*"arn:aws:iam::\\d{12}:user/${username}"`));
  const after = await encryptAs(user, keyId);
  expect(after?.name).toBe("AccessDeniedException");

  // The simulator page shows the deny.
  await nav.getByRole("link", { name: "Policy simulator" }).click();
  await expect(page.getByRole("heading", { name: "Policy simulator" })).toBeVisible();
  await page.getByLabel("Key", { exact: true }).fill(keyId);
  await simulate(page, username);
  const denyRow = page.getByTestId(`simulation-${username}-kms:Encrypt`);
  await expect(denyRow).toContainText("Denied");
  await expect(denyRow).toContainText("because no identity-based policy allows the kms:Encrypt action");
  await expect(page.getByTestId(`simulation-${username}-kms:Decrypt`)).toContainText("Denied");
  await shot(page, "policy-simulator");

  // The roles page: the four built-in roles, their JSON and members.
  await nav.getByRole("link", { name: "Roles" }).click();
  for (const role of ["Administrator", "Key administrator", "Key user", "Auditor"]) {
    await expect(page.getByRole("heading", { name: role, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("list", { name: "Administrator members", exact: true })).toContainText("admin");
  await expect(page.getByLabel("Key user identity policy")).toContainText('"kms:Encrypt"');
  await expect(page.getByRole("list", { name: "Users with no role" })).toContainText(username);
  await shot(page, "roles");
});

test("the JSON view validates, shows the server's exact problem, diffs, flags unknown actions, and runs the lockout check at review", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const ts = Date.now();
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
  await createKeyInWizard(page, `e2e-policy-json-${ts}`);

  // The saved policy as the editor formats it (two-space JSON), read through the API.
  const keyId = /:key\/([0-9a-f-]{36})/.exec((await page.getByTestId("key-arn").textContent())!)![1]!;
  const api = apiClientFor(E2E_ADMIN.username, baseURL!);
  const { Policy } = await api.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }));
  api.dispose();
  const saved = JSON.stringify(JSON.parse(Policy!), null, 2);

  await page.getByRole("tab", { name: "Key policy" }).click();
  await page.getByRole("button", { name: "JSON view" }).click();
  const editor = page.getByLabel("Key policy JSON");
  await expect(editor).toContainText('"Enable IAM User Permissions"');

  // JSON syntax: marked inline (CodeMirror's lint gutter), saving impossible.
  await editor.fill(saved.replace('"Version": "2012-10-17",', '"Version": "2012-10-17"'));
  await expect(page.getByTestId("json-syntax-error")).toContainText(/JSON syntax error at line \d+/);
  // CodeMirror renders the lines in view: go to the top, where the error is.
  await editor.press("Control+Home");
  await expect(page.getByTestId("policy-json-editor").locator(".cm-lint-marker-error").first()).toBeVisible();
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Review changes" })).toBeDisabled();

  // Valid JSON, invalid policy: the schema marks it as you type, and the server's
  // MalformedPolicyDocumentException message is shown on review.
  await editor.fill(saved.replace('"Effect": "Allow"', '"Effect": "Maybe"'));
  await expect(page.getByTestId("policy-schema-problems")).toContainText('Statement[1].Effect must be one of "Allow", "Deny".');
  await editor.press("Control+Home");
  await expect(page.getByTestId("policy-json-editor").locator(".cm-lintRange-error").first()).toBeVisible();
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("policy-server-error")).toContainText('MalformedPolicyDocumentException: Statement 1 (Sid "Enable IAM User Permissions"): Effect must be "Allow" or "Deny"');
  await shot(page, "policy-json-error");

  // Valid grammar, but an action that names nothing: flagged at review, with the likely action.
  await editor.fill(saved.replace('"Action": "kms:*"', '"Action": ["kms:*", "kms:Encryp"]'));
  await page.getByRole("button", { name: "Review changes" }).click();
  const typo = page.getByRole("region", { name: "Review changes" }).getByTestId("policy-unknown-actions");
  await expect(typo).toContainText("kms:Encryp");
  await expect(typo).toContainText("did you mean kms:Encrypt?");
  await page.getByRole("region", { name: "Review changes" }).getByRole("button", { name: "Back to editing" }).click();

  // A policy that would lock the admin out: refused at review already; only then is the bypass offered.
  const lockout = JSON.stringify(
    {
      Version: "2012-10-17",
      // Another account only (principals must exist: an unknown user here is a malformed policy).
      Statement: [{ Sid: "OnlySomeoneElse", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }],
    },
    null,
    2,
  );
  await editor.fill(lockout);
  await expect(page.getByLabel("Bypass the policy lockout safety check")).toHaveCount(0);
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("region", { name: "Review changes" });
  await expect(review.getByTestId("policy-diff")).toContainText('"OnlySomeoneElse"');
  await expect(review.getByTestId("policy-diff")).toContainText("Enable IAM User Permissions");
  await expect(review.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  await expect(review.getByRole("alert")).toContainText("The new key policy will not allow you to update the key policy in the future.");
  await expect(review.getByRole("button", { name: "Save anyway" })).toBeDisabled();
  await expect(review.getByLabel("Bypass the policy lockout safety check")).toBeVisible();
  await shot(page, "policy-lockout");

  // Not bypassed: back to editing and discard; the saved policy is unchanged.
  await review.getByRole("button", { name: "Back to editing" }).click();
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByTestId("policy-status")).toHaveText("Saved");
  await expect(editor).toContainText('"Enable IAM User Permissions"');
  await expect(editor).not.toContainText("OnlySomeoneElse");
});
