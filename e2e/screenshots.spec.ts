// A screenshot of every console page (and each tab of a key), light and dark,
// at a laptop's 1280 px and a small laptop's 1024 px, saved as test artifacts
// in test-results/screenshots/ for review. Each page must show its own heading
// first (a page that fails to render fails here) and must not overflow
// horizontally: the failure names the elements reaching past the viewport.
import { mkdirSync } from "node:fs";
import { CreateAliasCommand, CreateKeyCommand, EncryptCommand, TagResourceCommand } from "@aws-sdk/client-kms";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, signIn } from "./helpers";

const SHOTS = "test-results/screenshots";
mkdirSync(SHOTS, { recursive: true });

const WIDTHS = [1280, 1024] as const;

async function capture(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  // Lazily loaded parts (the policy editor) show skeletons after the network settles: shoot the content.
  await expect(page.getByRole("main").locator(".animate-pulse")).toHaveCount(0, { timeout: 20_000 });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The page scrolls sideways: the outermost elements reaching past the viewport's right edge, for the failure message. */
async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const describe = (e: Element) =>
      `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${typeof e.className === "string" && e.className ? `.${e.className.trim().split(/\s+/).slice(0, 6).join(".")}` : ""} (right ${Math.round(e.getBoundingClientRect().right)})`;
    const past = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5);
    // Only the outermost offenders: their children overflow because they do.
    const outermost = past.filter((e) => !past.some((o) => o !== e && o.contains(e)));
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth, culprits: outermost.slice(0, 8).map(describe) };
  });
}

async function expectNoHorizontalOverflow(page: Page, name: string) {
  const o = await horizontalOverflow(page);
  expect.soft(o.scrollWidth, `${name}: ${o.scrollWidth} px wide in a ${o.innerWidth} px viewport; past the edge: ${o.culprits.join(", ")}`).toBeLessThanOrEqual(o.innerWidth);
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

test("screenshots of every console page, each key tab and the event drawer, light and dark, at 1280 and 1024 px, none overflowing sideways", async ({ page, baseURL }) => {
  // Two widths × two themes × every page on a shared CI machine: generous, it asserts no timing.
  test.setTimeout(600_000);
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

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 768 });
    for (const theme of ["light", "dark"] as const) {
      const dark = await page.locator("html").evaluate((e) => e.classList.contains("dark"));
      if (dark !== (theme === "dark")) {
        await page.getByRole("button", { name: `Switch to ${theme} mode` }).click();
        await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*\bdark\b)/);
      }
      for (const [path, heading, name] of PAGES) {
        await page.goto(path);
        await expect(content(page).getByRole("heading", { name: heading, exact: true, level: 1 })).toBeVisible();
        await capture(page, `${name}-${width}px-${theme}`);
        await expectNoHorizontalOverflow(page, `${path} at ${width} px, ${theme}`);
      }
      await page.goto(`/keys/${keyId}`);
      await expect(content(page).getByTestId("key-title")).toBeVisible();
      for (const tab of await content(page).getByRole("tab").all()) {
        const label = (await tab.textContent())!.trim();
        await tab.click();
        await expect(tab).toHaveAttribute("aria-selected", "true");
        const name = `key-tab-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`;
        await capture(page, `${name}-${width}px-${theme}`);
        await expectNoHorizontalOverflow(page, `key page, ${label} tab at ${width} px, ${theme}`);
      }
      // The audit event drawer.
      await page.goto(`/audit?keyId=${keyId}`);
      const rows = content(page).getByRole("table", { name: "Audit events" }).getByTestId("audit-event-row");
      await rows.filter({ hasText: "CreateKey" }).getByRole("button", { name: /CreateKey/ }).click();
      await expect(page.getByRole("dialog", { name: /CreateKey event/ })).toBeVisible();
      await capture(page, `audit-event-drawer-${width}px-${theme}`);
      await expectNoHorizontalOverflow(page, `audit event drawer at ${width} px, ${theme}`);
      await page.keyboard.press("Escape");
    }
  }
});
