import { ListKeysCommand, KMSClient } from "@aws-sdk/client-kms";
import { expect, test } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { signIn } from "./helpers";

test("an administrator creates an access key, uses it with the AWS SDK, deactivates and deletes it", async ({ page, baseURL }) => {
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
  await page.goto("/access");
  await expect(page.getByRole("heading", { name: "Access keys" })).toBeVisible();
  await page.getByRole("button", { name: "Create access key" }).click();
  const create = page.getByRole("dialog", { name: "Create access key" });
  // "User" is a picker of the existing users, the administrator first chosen.
  await expect(create.getByLabel("User").locator("option", { hasText: `${E2E_ADMIN.username} (you)` })).toHaveCount(1);
  await expect(create.getByLabel("User")).toHaveValue(E2E_ADMIN.username);
  await create.getByRole("button", { name: "Create" }).click();
  const accessKeyId = (await page.getByTestId("new-access-key-id").textContent())!.trim();
  const secretAccessKey = (await page.getByTestId("new-secret-access-key").textContent())!.trim();
  expect(accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  expect(secretAccessKey).toHaveLength(40);
  await page.getByRole("button", { name: "I have stored it" }).click();
  // The secret is shown once: it is nowhere on the page any more.
  await expect(page.getByText(secretAccessKey)).toHaveCount(0);

  const kms = new KMSClient({ endpoint: baseURL, region: "us-east-1", credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  await expect(kms.send(new ListKeysCommand({}))).resolves.toHaveProperty("Keys");

  const row = page.getByTestId(`access-key-${accessKeyId}`);
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row).toContainText("Inactive");
  const denied = await kms.send(new ListKeysCommand({})).catch((e: Error) => e);
  expect((denied as Error).name).toBe("UnrecognizedClientException");

  await row.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete access key?" }).getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
  kms.destroy();
});
