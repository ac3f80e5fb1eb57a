import { expect, test } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { signIn } from "./helpers";

test("an administrator creates a notification rule, sees its signing secret once, disables and deletes it", async ({ page }) => {
  const name = `e2e-deletions-${Date.now()}`;
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "Create rule" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Event names").fill("ScheduleKeyDeletion");
  // Refused at once: a metadata address is never a webhook.
  await dialog.getByLabel("Webhook URL").fill("http://169.254.169.254/latest");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  await dialog.getByLabel("Webhook URL").fill("https://hooks.example.com/services/T000/B000/XXXX");
  await dialog.getByRole("button", { name: "Create" }).click();

  const secret = page.getByRole("dialog", { name: `Signing secret of ${name}` });
  await expect(secret).toBeVisible();
  const value = (await secret.getByText(/^whsec_/).textContent())!.trim();
  expect(value.length).toBeGreaterThanOrEqual(32);
  await secret.getByRole("button", { name: "Done" }).click();
  // Shown once: gone from the page.
  await expect(page.getByText(value)).toHaveCount(0);
  const rules = page.getByRole("table", { name: "Notification rules" });
  const row = rules.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("hooks.example.com");

  await row.getByRole("switch", { name: `${name} enabled` }).click();
  await expect(row.getByRole("switch", { name: `${name} enabled` })).not.toBeChecked();
  await row.getByRole("button", { name: `Delete ${name}` }).click();
  await page.getByRole("dialog", { name: `Delete rule ${name}` }).getByRole("button", { name: "Delete" }).click();
  await expect(rules.getByRole("row").filter({ hasText: name })).toHaveCount(0);
});
