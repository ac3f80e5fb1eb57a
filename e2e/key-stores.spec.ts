import { spawnSync } from "node:child_process";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import { expect, test } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, signIn } from "./helpers";

/** The token scripts/e2e-softhsm.mjs initialises for the e2e server. */
const E2E_HSM = { label: "e2e-hsm", pin: "e2e-hsm-user-pin" };
const TRUST_ANCHOR = spawnSync(
  "openssl",
  ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=e2e-hsm", "-days", "1", "-keyout", "/dev/null", "-out", "-"],
  { encoding: "utf8" },
).stdout;

test.skip(spawnSync("softhsm2-util", ["--version"]).status !== 0, "SoftHSM2 is not installed");

test("an administrator creates and connects a custom key store; its keys are listed and say where they live", async ({ page, baseURL }) => {
  const name = `e2e-store-${Date.now()}`;
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
  await page.getByRole("link", { name: "Key stores" }).click();
  await expect(page.getByRole("heading", { name: "Key stores", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "Create key store" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Token label").fill("no-such-token");
  await dialog.getByLabel("Token user PIN").fill(E2E_HSM.pin);
  await dialog.getByLabel("Trust anchor certificate").fill(TRUST_ANCHOR);
  await dialog.getByRole("button", { name: "Create key store" }).click();
  // An unknown token label is refused with AWS's message, in the dialog.
  await expect(dialog.getByRole("alert")).toContainText("no-such-token");
  await dialog.getByLabel("Token label").fill(E2E_HSM.label);
  await dialog.getByRole("button", { name: "Create key store" }).click();
  await expect(dialog).toBeHidden();

  const row = content(page).getByTestId(`key-store-${name}`);
  await expect(row).toContainText("DISCONNECTED");
  await row.getByRole("button", { name: `Connect ${name}` }).click();
  await expect(row).toContainText("CONNECTED");
  const storeId = (await row.getByText(/^cks-/).textContent())!.trim();

  // A key in the store (through the API), listed on the page and on its own page.
  const api = apiClientFor(E2E_ADMIN.username, baseURL!);
  let keyId: string;
  try {
    keyId = (await api.kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" }))).KeyMetadata!.KeyId!;
  } finally {
    api.dispose();
  }
  await page.reload();
  await row.getByRole("link", { name: keyId }).click();
  await expect(content(page).getByTestId("key-location")).toContainText(E2E_HSM.label);

  // Disconnect asks first; a store holding keys cannot be deleted.
  await page.goto("/key-stores");
  await row.getByRole("button", { name: `Disconnect ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByText(`Key store ${name} disconnected`)).toBeVisible();
  await expect(row).toContainText("DISCONNECTED");
  await row.getByRole("button", { name: `Delete ${name}` }).click();
  const confirm = page.getByRole("dialog");
  await confirm.getByRole("textbox").fill(name);
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText(/still holds 1 KMS key/)).toBeVisible();
});
