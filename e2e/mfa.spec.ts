// MFA as a person uses it: an authenticator app (codes computed by otplib
// from the key the console shows), recovery codes, a passkey on Chromium's
// virtual authenticator (CDP WebAuthn domain), sessions on the Account page,
// and an administrator resetting a lost factor.
import { expect, settleStreamedPages, test, type Page } from "./fixtures";
import { generate } from "otplib";
import { E2E_ADMIN } from "../playwright.config";
import { content, keyhold, signIn, signOut } from "./helpers";

// Each test signs in several times (scrypt, lockout-safe second steps): more room than the default on a busy machine.
test.describe.configure({ timeout: 120_000 });

const codeAt = (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

function newUser(prefix: string) {
  const user = { username: `${prefix}-${Date.now()}`, password: `${prefix} e2e password 1` };
  keyhold(["user", "create", "--username", user.username, "--role", "key-administrator", "--password-stdin"], user.password);
  return user;
}

async function openAccount(page: Page) {
  await page.goto("/account");
  await expect(content(page).getByRole("heading", { name: "Multi-factor authentication" })).toBeVisible();
}

async function savedRecoveryCodes(page: Page): Promise<string[]> {
  const dialog = page.getByRole("dialog", { name: "Recovery codes" });
  const items = dialog.getByTestId("recovery-codes").getByRole("listitem");
  await expect(items).toHaveCount(10);
  const codes = (await items.allTextContents()).map((c) => c.trim());
  await dialog.getByRole("button", { name: "I have saved them" }).click();
  return codes;
}

test("authenticator app: enrol with a QR code, then sign in with a code, and with a recovery code", async ({ page }) => {
  const user = newUser("totp");
  await signIn(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(user.username);
  await openAccount(page);

  await content(page).getByRole("button", { name: "Add authenticator app" }).click();
  const dialog = page.getByRole("dialog", { name: "Add an authenticator app" });
  await dialog.getByLabel("Name").fill("test phone");
  await dialog.getByRole("button", { name: "Continue" }).click();
  await expect(dialog.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await dialog.getByTestId("totp-secret").textContent())!.trim();
  await dialog.getByLabel("Code from the app").fill("000000");
  await dialog.getByRole("button", { name: "Verify and add" }).click();
  await expect(dialog.getByRole("alert")).toContainText("not correct");
  await dialog.getByLabel("Code from the app").fill(await codeAt(secret));
  await dialog.getByRole("button", { name: "Verify and add" }).click();
  const recovery = await savedRecoveryCodes(page);
  await expect(content(page).getByTestId("factor-totp")).toContainText("test phone");

  // The password alone no longer signs in: the second step asks for a code.
  await signOut(page);
  await signIn(page, user.username, user.password);
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Authentication code").fill("123456");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText("not accepted");
  await page.getByLabel("Authentication code").fill(await codeAt(secret, 30)); // the next step: the enrolment's code is used up
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("signed-in-user")).toContainText(user.username);

  // Account: this session is listed.
  await openAccount(page);
  await expect(content(page).getByRole("list", { name: "Active sessions" }).getByTestId("session-row").filter({ hasText: "this session" })).toHaveCount(1);

  // A recovery code works instead of the app.
  await signOut(page);
  await signIn(page, user.username, user.password);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recovery[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("signed-in-user")).toContainText(user.username);
  await openAccount(page);
  await expect(content(page)).toContainText("9 unused recovery codes left");
});

test("passkey: enrol on a virtual authenticator, sign in with it; the administrator resets it and the session ends", async ({ page, browser }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const user = newUser("passkey");
  await signIn(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(user.username);
  await openAccount(page);
  await content(page).getByRole("button", { name: "Add passkey" }).click();
  await savedRecoveryCodes(page);
  await expect(content(page).getByTestId("factor-webauthn")).toBeVisible();

  await signOut(page);
  await signIn(page, user.username, user.password);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByTestId("signed-in-user")).toContainText(user.username);

  // The user lost the device: an administrator resets their MFA; the user's session ends at once.
  const admin = settleStreamedPages(await browser.newPage());
  await signIn(admin, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(admin.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
  await admin.goto("/users");
  const row = admin.getByTestId(`user-row-${user.username}`);
  await expect(row).toContainText("MFA");
  await row.getByRole("button", { name: "Sessions" }).click();
  await expect(admin.getByRole("dialog", { name: `Sessions of ${user.username}` }).getByTestId("session-row")).toHaveCount(1);
  await admin.getByRole("dialog", { name: `Sessions of ${user.username}` }).getByRole("button", { name: "Close" }).click();
  await row.getByRole("button", { name: "Reset MFA" }).click();
  const confirm = admin.getByRole("dialog", { name: `Reset MFA of ${user.username}` });
  await confirm.getByLabel(`Type ${user.username} to confirm`).fill(user.username);
  await confirm.getByRole("button", { name: "Reset MFA" }).click();
  await expect(row).toContainText("No MFA");
  await admin.close();

  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
  // With no factor left, the password alone signs in again.
  await signIn(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(user.username);
});
