import { expect, test } from "./fixtures";
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
  test.setTimeout(60_000);
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

  // Changing a role asks first and names what each role can do; Cancel changes nothing.
  await row.getByLabel(`Role of ${username}`, { exact: true }).selectOption("KEY_ADMINISTRATOR");
  const change = page.getByRole("dialog", { name: `Change the role of ${username}` });
  await expect(change.getByTestId("role-change-summary")).toContainText("Now: Auditor");
  await expect(change.getByTestId("role-change-summary")).toContainText("After: Key administrator");
  await expect(change.getByTestId("role-change-summary")).toContainText("Manages keys");
  await change.getByRole("button", { name: "Cancel" }).click();
  await expect(change).toHaveCount(0);
  await expect(row.getByLabel(`Role of ${username}`, { exact: true })).toHaveValue("AUDITOR");

  // A service account: no password, no one-time password dialog.
  await page.getByRole("button", { name: "Create user" }).click();
  const app = `app-${Date.now()}`;
  await dialog.getByLabel("Username").fill(app);
  await dialog.getByLabel("Service account").check();
  // A role is a deliberate choice: the form does not submit without one.
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeVisible();
  expect(await dialog.getByLabel("Role").evaluate((e) => (e as HTMLSelectElement).validity.valueMissing)).toBe(true);
  await dialog.getByLabel("Role").selectOption({ label: "Key user" });
  await expect(dialog).toContainText("Uses keys (encrypt, decrypt");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByTestId(`user-row-${app}`)).toContainText("Service account");
  await expect(page.getByTestId(`user-row-${app}`).getByLabel(`Role of ${app}`, { exact: true })).toHaveValue("KEY_USER");
  // Confirmed, the role changes.
  await page.getByTestId(`user-row-${app}`).getByLabel(`Role of ${app}`, { exact: true }).selectOption("AUDITOR");
  await page.getByRole("dialog", { name: `Change the role of ${app}` }).getByRole("button", { name: "Make Auditor" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Role of ${app} changed` })).toBeVisible();
  await expect(page.getByTestId(`user-row-${app}`).getByLabel(`Role of ${app}`, { exact: true })).toHaveValue("AUDITOR");
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
  await expect(page.getByTestId("setting-session-idle-timeout")).toHaveText("30 minutes");
  await expect(page.getByTestId("root-key-custody")).toContainText("Local key file");

  // The lockout threshold: checked as typed, saved, shown after a reload, and recorded in the audit trail.
  const threshold = page.getByLabel("Lock after failed sign-ins");
  await expect(threshold).toHaveValue("5");
  await threshold.fill("1");
  await expect(page.getByText("Threshold: a whole number from 3 to 20.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save settings" })).toBeDisabled();
  await threshold.fill("7");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Lock after failed sign-ins")).toHaveValue("7");
  await expect(page.getByText("set here").first()).toBeVisible();
  const events = await page.request.get("/api/audit/events?eventName=UpdateSettings");
  expect(events.ok()).toBe(true);
  expect(JSON.stringify(await events.json())).toContain('"lockoutThreshold":7');
  // Back to the default for the other tests.
  await page.getByLabel("Lock after failed sign-ins").fill("5");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
});

test("an unknown console address shows the console's own 404 inside its frame", async ({ page }) => {
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
  const res = await page.goto("/keys-that-do-not-exist/x");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the dashboard" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${E2E_ADMIN.username}` })).toBeVisible();
});
