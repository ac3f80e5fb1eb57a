import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";
import { signIn, signOut } from "./helpers";

test("a wrong password is refused with a visible error", async ({ page }) => {
  await signIn(page, E2E_ADMIN.username, "not the password");
  await expect(page.getByTestId("sign-in-error")).toHaveText("Invalid username or password");
  await expect(page).toHaveURL(/\/login/);
});

test("signed-out visitors are sent to the sign-in page", async ({ page }) => {
  await page.goto("/users");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  const res = await page.request.get("/api/users");
  expect(res.status()).toBe(401);
});

test("admin creates an auditor, who must choose a password and cannot reach Users", async ({ page }) => {
  // Sign in as the administrator.
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText("admin");
  await expect(page.getByTestId("signed-in-user")).toContainText("Administrator");

  // Create a user with the Auditor role and a generated password.
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  const username = `auditor-${Date.now()}`;
  await dialog.getByLabel("Username").fill(username);
  await dialog.getByLabel("Role").selectOption({ label: "Auditor" });
  await dialog.getByRole("button", { name: "Create" }).click();
  const oneTime = page.getByTestId("one-time-password");
  await expect(oneTime).toBeVisible();
  const password = (await oneTime.textContent())!.trim();
  expect(password).toHaveLength(20);
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.getByTestId(`user-row-${username}`);
  await expect(row).toContainText("Must change password");
  await expect(row.getByLabel(`Role of ${username}`, { exact: true })).toHaveValue("AUDITOR");

  // Tag the user (aws:PrincipalTag/team in policies): a bad line is refused in the dialog, then saved.
  await row.getByRole("button", { name: "Tags" }).click();
  const tags = page.getByRole("dialog", { name: `Tags of ${username}` });
  await tags.getByLabel("Tags, one key=value per line").fill("team=audit\nnot a tag");
  await tags.getByRole("button", { name: "Save tags" }).click();
  await expect(tags.getByRole("alert")).toContainText("Line 2: write each tag as key=value");
  await tags.getByLabel("Tags, one key=value per line").fill("team=audit");
  await tags.getByRole("button", { name: "Save tags" }).click();
  await expect(row).toContainText("team=audit");

  // A service account: no password, no one-time password dialog.
  await page.getByRole("button", { name: "Create user" }).click();
  const app = `app-${Date.now()}`;
  await dialog.getByLabel("Username").fill(app);
  await dialog.getByLabel("Service account").check();
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByTestId(`user-row-${app}`)).toContainText("Service account");
  await expect(page.getByTestId(`user-row-${app}`).getByRole("button", { name: "Reset password" })).toHaveCount(0);

  // Sign out, sign in as the auditor: the first sign-in asks for a new password.
  await signOut(page);
  await signIn(page, username, password);
  await expect(page).toHaveURL(/\/change-password/);
  await page.getByLabel("Current password").fill(password);
  await page.getByLabel("New password", { exact: true }).fill("auditor's own password");
  await page.getByLabel("Confirm new password").fill("auditor's own password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${username}` })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText("Auditor");

  // The Users page is neither offered nor reachable, and its API answers 403.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByTestId("forbidden")).toContainText("Access denied");
  const res = await page.request.get("/api/users");
  expect(res.status()).toBe(403);
  expect((await res.json()).__type).toBe("AccessDeniedException");

  // The old one-time password no longer works; the new one does.
  await signOut(page);
  await signIn(page, username, password);
  await expect(page.getByTestId("sign-in-error")).toBeVisible();
  await signIn(page, username, "auditor's own password");
  await expect(page.getByRole("heading", { name: `Welcome, ${username}` })).toBeVisible();
});

test("settings show the installation's account, region, database and version", async ({ page }) => {
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("setting-account-id")).toHaveText(/^\d{12}$/);
  await expect(page.getByTestId("setting-region")).toHaveText("us-east-1");
  await expect(page.getByTestId("setting-database")).toHaveText(process.env.DATABASE_URL ? "PostgreSQL" : /Embedded/);
});
