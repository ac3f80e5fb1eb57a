import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { signIn } from "./helpers";

const SHOTS = "test-results/screenshots";
mkdirSync(SHOTS, { recursive: true });

async function createSymmetricKey(page: Page, name: string) {
  await page.goto("/keys/new");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Alias", { exact: true }).fill(name);
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page).toHaveURL(/\/keys\/[0-9a-f-]{36}$/, { timeout: 20_000 });
}

test("the playground round-trips envelope encryption and shows a wrong context failing", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
  const name = `e2e-play-${Date.now()}`;
  await createSymmetricKey(page, name);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Playground" }).click();
  await expect(page.getByRole("heading", { name: "Envelope encryption playground" })).toBeVisible();
  await page.getByLabel("Key", { exact: true }).selectOption({ label: `alias/${name}` });
  const text = `attack at dawn ${Date.now()}`;
  await page.getByLabel("Text to encrypt").fill(text);
  await page.getByLabel("Encryption context").fill("purpose=demo, team=e2e");
  await page.getByRole("button", { name: "Encrypt" }).click();
  await expect(page.getByTestId("wrapped-key")).not.toBeEmpty();
  await expect(page.getByTestId("ciphertext")).not.toBeEmpty();
  await expect(page.getByRole("region", { name: "Result" })).not.toContainText(text);

  await page.getByRole("button", { name: "Decrypt" }).click();
  await expect(page.getByTestId("decrypted-text")).toHaveText(text);

  await page.getByRole("button", { name: "Try a wrong encryption context" }).click();
  await expect(page.getByTestId("wrong-context-result")).toContainText("InvalidCiphertextException");
  await page.screenshot({ path: `${SHOTS}/playground.png`, fullPage: true });
});
