import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
} from "@aws-sdk/client-kms";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, signIn } from "./helpers";

const SHOTS = "test-results/screenshots";
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

// One API access key for the admin per run of this file, deleted after it.
let api: ReturnType<typeof apiClientFor> | undefined;
function sdk(baseURL: string): KMSClient {
  api ??= apiClientFor(E2E_ADMIN.username, baseURL);
  return api.kms;
}
test.afterAll(() => api?.dispose());

const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

async function signInAsAdmin(page: Page) {
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
}

/** Walks the wizard; `configure` sets step 1. Returns the new key's ID. */
async function createKeyInWizard(
  page: Page,
  opts: {
    alias: string;
    description?: string;
    tag?: [string, string];
    configure?: () => Promise<void>;
    review?: () => Promise<void>;
    screenshots?: boolean;
  },
): Promise<string> {
  await page.goto("/keys/new");
  await expect(page.getByRole("heading", { name: "Create key" })).toBeVisible();
  await opts.configure?.();
  if (opts.screenshots) await shot(page, "wizard-1-type");
  await page.getByRole("button", { name: "Next" }).click();
  await content(page).getByLabel("Alias", { exact: true }).fill(opts.alias);
  if (opts.description) await content(page).getByLabel("Description", { exact: true }).fill(opts.description);
  if (opts.tag) {
    await page.getByRole("button", { name: "Add tag" }).click();
    await content(page).getByLabel("Tag key 1").fill(opts.tag[0]);
    await content(page).getByLabel("Tag value 1").fill(opts.tag[1]);
  }
  if (opts.screenshots) await shot(page, "wizard-2-labels");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("group", { name: "Key administrators" })).toBeVisible();
  await page.getByRole("checkbox", { name: /^admin\b/ }).check();
  if (opts.screenshots) await shot(page, "wizard-3-administrators");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("group", { name: "Key users" })).toBeVisible();
  await page.getByRole("checkbox", { name: /^admin\b/ }).check();
  if (opts.screenshots) await shot(page, "wizard-4-users");
  await page.getByRole("button", { name: "Next" }).click();
  // The policy is in the checked editor (problems marked as typed), not a plain textarea.
  await expect(content(page).getByLabel("Key policy")).toContainText("Allow access for Key Administrators");
  await expect(content(page).getByLabel("Key policy")).toContainText(/:user\/admin"/);
  await expect(page.getByText("Valid JSON, and the policy grammar checks out.")).toBeVisible();
  await opts.review?.();
  if (opts.screenshots) await shot(page, "wizard-5-review");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page).toHaveURL(/\/keys\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  await expect(content(page).getByTestId("key-title")).toContainText(`alias/${opts.alias}`);
  return page.url().split("/").pop()!;
}

test("admin creates a symmetric key, edits it inline, disables, enables, schedules and cancels its deletion", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  await shot(page, "dashboard");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Keys", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create key" })).toBeVisible();

  const name = unique("e2e-sym");
  const alias = `alias/${name}`;
  const keyId = await createKeyInWizard(page, {
    alias: name,
    description: "first description",
    tag: ["team", "e2e"],
    configure: async () => {
      await expect(page.getByRole("radio", { name: "Symmetric", exact: true })).toBeChecked();
      await expect(page.getByRole("radio", { name: "Encrypt and decrypt", exact: true })).toBeChecked();
      await expect(content(page).getByTestId("spec-algorithms")).toContainText("SYMMETRIC_DEFAULT");
    },
    screenshots: true,
  });
  await expect(content(page).getByTestId("key-state")).toContainText("Enabled");
  await page.getByRole("tab", { name: "Tags" }).click();
  await expect(page.getByRole("table", { name: "Tags" })).toContainText("team");
  await shot(page, "key-detail");

  // The list shows it; search finds it by alias.
  await page.getByRole("link", { name: "Keys", exact: true }).first().click();
  await content(page).getByLabel("Search keys").fill(name);
  const row = content(page).getByTestId(`key-row-${keyId}`);
  await expect(row).toBeVisible();
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–1 of 1 keys");
  await expect(row).toContainText(alias);
  await expect(row).toContainText("first description");

  // Inline edit of the description: Enter saves.
  await row.getByRole("button", { name: `Edit description of ${alias}` }).click();
  const input = row.getByRole("textbox", { name: `Description of ${alias}` });
  await input.fill("edited inline");
  await input.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Description saved" })).toBeVisible();
  await expect(row).toContainText("edited inline");
  // Esc cancels.
  await row.getByRole("button", { name: `Edit description of ${alias}` }).click();
  await row.getByRole("textbox", { name: `Description of ${alias}` }).fill("not saved");
  await row.getByRole("textbox", { name: `Description of ${alias}` }).press("Escape");
  await expect(row).toContainText("edited inline");
  // Leaving the field keeps the draft (no silent discard); Cancel ends the edit unsaved.
  await row.getByRole("button", { name: `Edit description of ${alias}` }).click();
  await row.getByRole("textbox", { name: `Description of ${alias}` }).fill("kept across blur");
  await page.getByRole("heading", { name: "Keys", exact: true }).click();
  await expect(row.getByRole("textbox", { name: `Description of ${alias}` })).toHaveValue("kept across blur");
  await expect(row).toContainText("Unsaved: Enter saves, Esc cancels");
  await row.getByRole("button", { name: `Save description of ${alias}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Description saved" }).first()).toBeVisible();
  await expect(row).toContainText("kept across blur");

  // Disable with confirmation; the API then refuses to encrypt.
  await row.getByRole("button", { name: `Actions for ${alias}` }).click();
  await row.getByRole("menuitem", { name: "Disable" }).click();
  const disableDialog = page.getByRole("dialog", { name: "Disable key" });
  await expect(disableDialog).toContainText(alias);
  await shot(page, "keys-disable-confirm");
  await disableDialog.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${alias} disabled` })).toBeVisible();
  await expect(row.getByTestId("key-status")).toContainText("Disabled");

  const kms = sdk(baseURL!);
  const failure = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: new TextEncoder().encode("secret") })).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(failure?.name).toBe("DisabledException");

  // Enable again, from the row's menu.
  await row.getByRole("button", { name: `Actions for ${alias}` }).click();
  await row.getByRole("menuitem", { name: "Enable" }).click();
  await page.getByRole("dialog", { name: "Enable key" }).getByRole("button", { name: "Enable" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${alias} enabled` })).toBeVisible();
  await expect(row.getByTestId("key-status")).toContainText("Enabled");
  const ok = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: new TextEncoder().encode("secret") }));
  expect(ok.CiphertextBlob?.length).toBeGreaterThan(0);

  // Schedule deletion from the key page (typed confirmation), then cancel it.
  await row.getByRole("link", { name: alias }).click();
  await expect(content(page).getByTestId("key-title")).toContainText(alias);
  await page.getByRole("button", { name: "Key actions" }).click();
  await page.getByRole("menuitem", { name: "Schedule deletion" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule key deletion" });
  await dialog.getByLabel("Waiting period (days)").selectOption("7");
  await expect(dialog.getByRole("button", { name: "Schedule deletion" })).toBeDisabled();
  await dialog.getByLabel("Type delete to confirm").fill("delete");
  await shot(page, "key-schedule-deletion");
  await dialog.getByRole("button", { name: "Schedule deletion" }).click();
  await expect(page.getByRole("status").filter({ hasText: "will be deleted in 7 days" })).toBeVisible();
  await expect(content(page).getByTestId("key-state")).toContainText("Pending deletion");
  await expect(content(page).getByTestId("key-state")).toContainText(/Deletes .* \(in 6 d 23 h\)|\(in 7 d 0 h\)/);

  await page.getByRole("button", { name: "Key actions" }).click();
  await page.getByRole("menuitem", { name: "Cancel deletion" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deletion of" })).toBeVisible();
  await expect(content(page).getByTestId("key-state")).toContainText("Disabled");
  await expect(content(page).getByTestId("key-state")).not.toContainText("Pending deletion");
});

test("admin creates an RSA signing key and an HMAC key, and downloads the public key", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page);

  const rsa = unique("e2e-rsa");
  await createKeyInWizard(page, {
    alias: rsa,
    configure: async () => {
      await page.getByRole("radio", { name: "Asymmetric", exact: true }).check();
      await page.getByRole("radio", { name: "Sign and verify", exact: true }).check();
      await page.getByRole("region", { name: "Step 1: Key type" }).getByLabel("Key spec").selectOption("RSA_2048");
      await expect(content(page).getByTestId("spec-algorithms")).toContainText("RSASSA_PSS_SHA_256");
    },
  });
  await expect(page.getByText("Sign and verify").first()).toBeVisible();
  await page.getByRole("tab", { name: "Public key" }).click();
  await expect(content(page).getByTestId("public-key-pem")).toContainText("-----BEGIN PUBLIC KEY-----");
  await shot(page, "key-public-key");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PEM" }).click();
  const download = await downloading;
  const pem = readFileSync((await download.path())!, "utf8");
  expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
  expect(download.suggestedFilename()).toMatch(/\.pem$/);

  const hmac = unique("e2e-hmac");
  await createKeyInWizard(page, {
    alias: hmac,
    configure: async () => {
      await page.getByRole("radio", { name: "HMAC", exact: true }).check();
      await expect(page.getByRole("radio", { name: "Generate and verify MAC", exact: true })).toBeChecked();
      await page.getByRole("region", { name: "Step 1: Key type" }).getByLabel("Key spec").selectOption("HMAC_256");
    },
  });
  await expect(page.getByRole("tab", { name: "Cryptographic configuration" })).toBeVisible();
  await expect(page.getByRole("tabpanel")).toContainText("HMAC_SHA_256");
  await expect(page.getByRole("tab", { name: "Public key" })).toHaveCount(0);
});

test("the list searches, filters, sorts and pages through 1,000 keys", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const kms = sdk(baseURL!);
  const run = unique("bulk");
  const N = 1000;
  const ids: string[] = new Array(N);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) {
        const i = next++;
        const r = await kms.send(
          new CreateKeyCommand({
            Description: `${run} #${String(i).padStart(4, "0")}`,
            Tags: [{ TagKey: "bulk", TagValue: run }],
          }),
        );
        ids[i] = r.KeyMetadata!.KeyId!;
      }
    }),
  );
  await Promise.all(ids.slice(0, 10).map((KeyId) => kms.send(new DisableKeyCommand({ KeyId }))));
  // Three aliases, in another order than the keys': the alias sort puts them first, by name.
  const aliased = [ids[500]!, ids[999]!, ids[0]!];
  await Promise.all(aliased.map((TargetKeyId, i) => kms.send(new CreateAliasCommand({ AliasName: `alias/${run}-${"abc"[i]}`, TargetKeyId }))));

  await signInAsAdmin(page);
  await page.goto("/keys");
  // Locators stay inside <main>: see content() in helpers.ts.
  await content(page).getByLabel("Tag filter").fill(`bulk=${run}`);
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–25 of 1,000 keys");
  await expect(content(page).getByTestId("keys-page")).toHaveText("Page 1 of 40");
  await shot(page, "keys-list");

  // Paginate.
  await content(page).getByRole("button", { name: "Next" }).click();
  await expect(content(page).getByTestId("keys-total")).toHaveText("26–50 of 1,000 keys");
  await expect(content(page).getByTestId("keys-page")).toHaveText("Page 2 of 40");
  await content(page).getByLabel("Rows per page").selectOption("100");
  await expect(content(page).getByTestId("keys-page")).toHaveText("Page 1 of 10");
  await expect(content(page).locator("tbody tr")).toHaveCount(100);

  // Sort by description, both ways.
  await content(page).getByRole("button", { name: "Description", exact: true }).click();
  await expect(content(page).getByRole("columnheader", { name: "Description", exact: true })).toHaveAttribute("aria-sort", "ascending");
  await expect(content(page).locator("tbody tr").first()).toContainText(`${run} #0000`);
  await content(page).getByRole("button", { name: "Description", exact: true }).click();
  await expect(content(page).getByRole("columnheader", { name: "Description", exact: true })).toHaveAttribute("aria-sort", "descending");
  await expect(content(page).locator("tbody tr").first()).toContainText(`${run} #0999`);

  // Sort by alias: keys with one first, by name; then the rest.
  await content(page).getByRole("button", { name: "Alias", exact: true }).click();
  await expect(content(page).getByRole("columnheader", { name: "Alias", exact: true })).toHaveAttribute("aria-sort", "ascending");
  const rows = content(page).locator("tbody tr");
  for (const [i, keyId] of aliased.entries()) {
    await expect(rows.nth(i)).toHaveAttribute("data-testid", `key-row-${keyId}`);
    await expect(rows.nth(i)).toContainText(`alias/${run}-${"abc"[i]}`);
  }
  await expect(rows.nth(3)).toContainText("(no alias)");
  await content(page).getByRole("button", { name: "Alias", exact: true }).click();
  await expect(content(page).getByRole("columnheader", { name: "Alias", exact: true })).toHaveAttribute("aria-sort", "descending");
  await expect(rows.first()).toContainText("(no alias)");
  await content(page).getByRole("button", { name: "Alias", exact: true }).click();
  await expect(rows.first()).toHaveAttribute("data-testid", `key-row-${aliased[0]}`);

  // The view lives in the URL: a reload shows the same page of the same sorted, filtered list.
  await content(page).getByRole("button", { name: "Next" }).click();
  await expect(content(page).getByTestId("keys-total")).toHaveText("101–200 of 1,000 keys");
  const secondPageFirst = await rows.first().getAttribute("data-testid");
  expect(new URL(page.url()).searchParams.get("sort")).toBe("alias");
  expect(new URL(page.url()).searchParams.get("tag")).toBe(`bulk=${run}`);
  await page.reload();
  await expect(content(page).getByLabel("Tag filter")).toHaveValue(`bulk=${run}`);
  await expect(content(page).getByLabel("Rows per page")).toHaveValue("100");
  await expect(content(page).getByRole("columnheader", { name: "Alias", exact: true })).toHaveAttribute("aria-sort", "ascending");
  await expect(content(page).getByTestId("keys-total")).toHaveText("101–200 of 1,000 keys");
  await expect(content(page).getByTestId("keys-page")).toHaveText("Page 2 of 10");
  await expect(rows.first()).toHaveAttribute("data-testid", secondPageFirst!);
  // Back and forward step through views.
  await content(page).getByRole("button", { name: "Previous" }).click();
  await expect(content(page).getByTestId("keys-page")).toHaveText("Page 1 of 10");
  await content(page).getByLabel("Key usage").selectOption("SIGN_VERIFY");
  await expect(content(page).getByTestId("keys-total")).toHaveText("0 keys");
  await page.goBack();
  await expect(content(page).getByLabel("Key usage")).toHaveValue("");
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–100 of 1,000 keys");
  await expect(rows.first()).toHaveAttribute("data-testid", `key-row-${aliased[0]}`);
  await page.goBack();
  await expect(content(page).getByTestId("keys-total")).toHaveText("101–200 of 1,000 keys");
  await expect(rows.first()).toHaveAttribute("data-testid", secondPageFirst!);
  await page.goForward();
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–100 of 1,000 keys");

  // Filter by status.
  await content(page).getByLabel("Status", { exact: true }).selectOption("Disabled");
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–10 of 10 keys");
  await expect(content(page).locator("tbody tr")).toHaveCount(10);
  await content(page).getByLabel("Status", { exact: true }).selectOption("");

  // Search by description and by key ID.
  await content(page).getByLabel("Search keys").fill(`${run} #0123`);
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–1 of 1 keys");
  await expect(content(page).getByTestId(`key-row-${ids[123]}`)).toBeVisible();
  await content(page).getByLabel("Search keys").fill(ids[456]!);
  await expect(content(page).getByTestId(`key-row-${ids[456]}`)).toBeVisible();
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–1 of 1 keys");

  // Bulk disable names the keys in its confirmation.
  await content(page).getByLabel("Search keys").fill(`${run} #050`);
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–10 of 10 keys");
  await content(page).getByLabel("Select all keys on this page").check();
  await content(page).getByRole("button", { name: "Disable selected" }).click();
  const dialog = page.getByRole("dialog", { name: "Disable 10 keys" });
  await expect(dialog.getByTestId("confirm-key-list").locator("li")).toHaveCount(10);
  await dialog.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("status").filter({ hasText: "10 keys disabled" })).toBeVisible();
  await content(page).getByLabel("Search keys").fill("");
  await content(page).getByLabel("Status", { exact: true }).selectOption("Disabled");
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–20 of 20 keys");
});

test("the wizard validates aliases as you type and reports a duplicate alias on its step", async ({ page, baseURL }) => {
  const kms = sdk(baseURL!);
  const taken = unique("e2e-taken");
  const key = await kms.send(new CreateKeyCommand({}));
  await kms.send(new CreateAliasCommand({ AliasName: `alias/${taken}`, TargetKeyId: key.KeyMetadata!.KeyId! }));

  await signInAsAdmin(page);
  await page.goto("/keys/new");
  await page.getByRole("button", { name: "Next" }).click();
  const aliasInput = content(page).getByLabel("Alias", { exact: true });
  await aliasInput.fill("bad alias!");
  await expect(page.getByText('Alias names start with "alias/", then 1–250 letters, digits')).toBeVisible();
  await expect(aliasInput).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await aliasInput.fill("aws/reserved");
  await expect(page.getByText("reserved for AWS managed keys")).toBeVisible();
  await page.getByRole("button", { name: "Add tag" }).click();
  await content(page).getByLabel("Tag key 1").fill("aws:nope");
  await expect(page.getByText('Tag keys beginning with "aws:" are reserved.')).toBeVisible();
  await page.getByRole("button", { name: "Remove tag 1" }).click();
  await shot(page, "wizard-validation");

  await aliasInput.fill(taken);
  await expect(aliasInput).not.toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(`alias/${taken} already exists`)).toBeVisible();
  await expect(page.getByText(/An alias with the name arn:aws:kms:us-east-1:\d{12}:alias\/.* already exists/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Step 2: Labels" })).toBeVisible();
  await shot(page, "wizard-duplicate-alias");
  // Back and next keep values.
  await aliasInput.fill(`${taken}-free`);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("group", { name: "Key administrators" })).toBeVisible();
  await page.getByRole("button", { name: "Back" }).click();
  await expect(content(page).getByLabel("Alias", { exact: true })).toHaveValue(`${taken}-free`);
});

test("the keys list fits 1280 px without cutting what tells keys apart, and columns can be chosen", async ({ page, baseURL }) => {
  const kms = sdk(baseURL!);
  // Two keys whose long aliases differ only at the end.
  const stem = unique("a-very-long-alias-name-for-the-payments-service-production");
  const made: string[] = [];
  for (const end of ["eu", "us"]) {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `a description long enough to need cutting in a narrow column ${end}` }));
    await kms.send(new CreateAliasCommand({ AliasName: `alias/${stem}-${end}`, TargetKeyId: KeyMetadata!.KeyId! }));
    made.push(KeyMetadata!.KeyId!);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInAsAdmin(page);
  await page.goto(`/keys?q=${stem}`);
  const table = content(page).getByRole("table", { name: "Keys" });
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–2 of 2 keys");
  // Nothing scrolls sideways at 1280 px.
  const box = table.locator("xpath=..");
  expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await shot(page, "keys-1280px-light");
  // The full alias is in the link's title (hover), each key's own.
  for (const [i, end] of ["eu", "us"].entries()) {
    const row = content(page).getByTestId(`key-row-${made[i]}`);
    await expect(row.getByRole("link", { name: `alias/${stem}-${end}` })).toHaveAttribute("title", `alias/${stem}-${end}`);
    await expect(row.getByTestId("key-status")).toHaveText("Enabled");
  }

  // The column chooser hides Key ID and Usage; the choice survives a reload.
  await content(page).getByText("Columns", { exact: true }).click();
  await content(page).getByRole("checkbox", { name: "Key ID" }).uncheck();
  await content(page).getByRole("checkbox", { name: "Usage" }).uncheck();
  await expect(table.getByRole("columnheader", { name: "Key ID" })).toHaveCount(0);
  await page.reload();
  await expect(content(page).getByTestId("keys-total")).toHaveText("1–2 of 2 keys");
  await expect(table.getByRole("columnheader", { name: "Key ID" })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: "Usage" })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: "Key spec" })).toHaveCount(1);

  // At 1024 px the list stays usable: the same rows, the row menu reachable.
  await page.setViewportSize({ width: 1024, height: 768 });
  await shot(page, "keys-1024px-light");
  const row = content(page).getByTestId(`key-row-${made[0]}`);
  await row.getByRole("button", { name: `Actions for alias/${stem}-eu` }).click();
  await expect(row.getByRole("menuitem", { name: "Disable" })).toBeVisible();
  await page.keyboard.press("Escape");
});

test("the wizard turns rotation on at creation, and imports key material wrapped in the browser", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const kms = sdk(baseURL!);
  await signInAsAdmin(page);

  // Rotation chosen at creation: on, every 180 days.
  const rotated = unique("e2e-rotation");
  const rotatedId = await createKeyInWizard(page, {
    alias: rotated,
    configure: async () => {
      await content(page).getByLabel("Rotate the key material automatically").check();
      await content(page).getByLabel("Rotation period (days)").fill("30");
      await page.getByRole("button", { name: "Next" }).click();
      await expect(page.getByTestId("step-error")).toHaveText("The rotation period is 90 to 2560 days.");
      await content(page).getByLabel("Rotation period (days)").fill("180");
    },
    review: async () => {
      await expect(page.getByTestId("review-summary")).toContainText("Automatic, every 180 days");
    },
  });
  const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: rotatedId }));
  expect(status.KeyRotationEnabled).toBe(true);
  expect(status.RotationPeriodInDays).toBe(180);

  // Bring your own key: pasted material is wrapped by WebCrypto; no request carries it in clear.
  const material = randomBytes(32);
  const forms = [material.toString("hex"), material.toString("base64")];
  const leaked: string[] = [];
  page.on("request", (r) => {
    const body = r.postData() ?? "";
    if (forms.some((f) => body.includes(f))) leaked.push(r.url());
  });
  const imported = unique("e2e-import");
  const importedId = await createKeyInWizard(page, {
    alias: imported,
    configure: async () => {
      await content(page).getByLabel("Import your own key material").check();
      await expect(content(page).getByLabel("Rotate the key material automatically")).toHaveCount(0);
    },
    review: async () => {
      await expect(page.getByTestId("review-summary")).toContainText("Imported (wrapped in this browser)");
      await content(page).getByLabel("Paste my key material").check();
      await content(page).getByLabel("Key material (hex or base64, 32 bytes)").fill("abcd");
      await expect(page.getByText("Hex key material must be 64 digits (32 bytes); this is 4.")).toBeVisible();
      await content(page).getByLabel("Key material (hex or base64, 32 bytes)").fill(forms[0]!);
      await expect(page.getByTestId("import-explanation")).toContainText("sends only the wrapped bytes");
    },
  });
  await expect(content(page).getByTestId("key-state")).toContainText("Enabled");
  expect(leaked).toEqual([]);
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: importedId }));
  expect(KeyMetadata?.Origin).toBe("EXTERNAL");
  expect(KeyMetadata?.KeyState).toBe("Enabled");
  const sealed = await kms.send(new EncryptCommand({ KeyId: importedId, Plaintext: new TextEncoder().encode("byok") }));
  const opened = await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
  expect(new TextDecoder().decode(opened.Plaintext)).toBe("byok");
});
