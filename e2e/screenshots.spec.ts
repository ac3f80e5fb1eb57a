// A screenshot of every console page (and each tab of a key), light and dark,
// saved as test artifacts in test-results/screenshots/ for review. Each page
// must show its own heading first: a page that fails to render fails here.
import { mkdirSync } from "node:fs";
import { CreateAliasCommand, CreateKeyCommand, EncryptCommand, TagResourceCommand } from "@aws-sdk/client-kms";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, signIn } from "./helpers";

const SHOTS = "test-results/screenshots";
mkdirSync(SHOTS, { recursive: true });

async function capture(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const PAGES: Array<[path: string, heading: string | RegExp, name: string]> = [
  ["/", `Welcome, ${E2E_ADMIN.username}`, "page-dashboard"],
  ["/keys", "Keys", "page-keys"],
  ["/keys/new", "Create key", "page-create-key"],
  ["/playground", "Key playground", "page-playground"],
  ["/audit", "Audit", "page-audit"],
  ["/access", "Access keys", "page-access-keys"],
  ["/users", "Users", "page-users"],
  ["/roles", "Roles", "page-roles"],
  ["/alerts", "Alerts", "page-alerts"],
  ["/policy-simulator", "Policy simulator", "page-policy-simulator"],
  ["/settings", "Settings", "page-settings"],
  ["/account", "Account", "page-account"],
];

test("screenshots of every console page, each key tab and the event drawer, light and dark", async ({ page, baseURL }) => {
  // Two themes × every page on a shared CI machine: generous, it asserts no timing.
  test.setTimeout(300_000);
  // A key with an alias, a tag and some activity, so its tabs have content.
  const { kms, dispose } = apiClientFor(E2E_ADMIN.username, baseURL!);
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "screenshot key" }));
  const keyId = KeyMetadata!.KeyId!;
  await kms.send(new CreateAliasCommand({ AliasName: `alias/screenshots-${Date.now()}`, TargetKeyId: keyId }));
  await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: "team", TagValue: "platform" }] }));
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array([1]) }));
  dispose();

  await page.goto("/login");
  await capture(page, "page-sign-in");
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);

  for (const theme of ["light", "dark"] as const) {
    if (theme === "dark") {
      await page.getByRole("button", { name: "Switch to dark mode" }).click();
      await expect(page.locator("html")).toHaveClass(/dark/);
    }
    for (const [path, heading, name] of PAGES) {
      await page.goto(path);
      await expect(content(page).getByRole("heading", { name: heading, exact: true, level: 1 })).toBeVisible();
      await capture(page, `${name}-${theme}`);
    }
    await page.goto(`/keys/${keyId}`);
    await expect(content(page).getByTestId("key-title")).toBeVisible();
    for (const tab of await content(page).getByRole("tab").all()) {
      const label = (await tab.textContent())!.trim();
      await tab.click();
      await expect(tab).toHaveAttribute("aria-selected", "true");
      await capture(page, `key-tab-${label.toLowerCase().replace(/[^a-z]+/g, "-")}-${theme}`);
    }
  }

  // The audit event drawer, and the console at a laptop's width.
  await page.goto(`/audit?keyId=${keyId}`);
  const rows = content(page).getByRole("table", { name: "Audit events" }).getByTestId("audit-event-row");
  await rows.filter({ hasText: "CreateKey" }).getByRole("button", { name: /CreateKey/ }).click();
  await expect(page.getByRole("dialog", { name: /CreateKey event/ })).toBeVisible();
  await capture(page, "audit-event-drawer-dark");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/keys");
  await expect(content(page).getByRole("heading", { name: "Keys", exact: true })).toBeVisible();
  await capture(page, "page-keys-1024px-dark");
});
