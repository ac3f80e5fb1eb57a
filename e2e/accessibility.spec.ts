// axe-core on every console page, in the light and the dark theme: no serious
// or critical violation (colour contrast of secondary text included).
import AxeBuilder from "@axe-core/playwright";
import { CreateAliasCommand, CreateKeyCommand } from "@aws-sdk/client-kms";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, signIn } from "./helpers";

const PAGES: Array<[path: string, heading: string | RegExp]> = [
  ["/", `Welcome, ${E2E_ADMIN.username}`],
  ["/keys", "Keys"],
  ["/keys/new", "Create key"],
  ["/playground", "Key playground"],
  ["/audit", "Audit"],
  ["/access", "Access keys"],
  ["/users", "Users"],
  ["/roles", "Roles"],
  ["/alerts", "Alerts"],
  ["/policy-simulator", "Policy simulator"],
  ["/settings", "Settings"],
  ["/account", "Account"],
  ["/no-such-page", "Page not found"],
];

async function seriousViolations(page: Page): Promise<string[]> {
  // Not "networkidle": pages poll, and the audit page may hold a stream open.
  await page.waitForLoadState("load");
  // Judge the page as it settles, not its loading placeholders (they pulse in opacity).
  await expect(page.locator(".animate-pulse")).toHaveCount(0);
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}

for (const theme of ["light", "dark"] as const) {
  test(`every console page passes axe with no serious or critical violation (${theme} theme)`, async ({ page, baseURL }) => {
    test.setTimeout(300_000);
    const { kms, dispose } = apiClientFor(E2E_ADMIN.username, baseURL!);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "accessibility key" }));
    const keyId = KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: `alias/a11y-${theme}-${Date.now()}`, TargetKeyId: keyId }));
    dispose();

    // Each page is its own soft expectation: one run lists every page with a problem.
    const check = async (name: string) => expect.soft(await seriousViolations(page), `${name} (${theme})`).toEqual([]);
    await page.goto("/login");
    if (theme === "light") await check("sign-in");
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
    if (theme === "dark") {
      await page.getByRole("button", { name: "Switch to dark mode" }).click();
      await expect(page.locator("html")).toHaveClass(/dark/);
    }
    for (const [path, heading] of PAGES) {
      await page.goto(path);
      await expect(content(page).getByRole("heading", { name: heading, exact: true, level: 1 })).toBeVisible();
      await check(path);
    }
    await page.goto(`/keys/${keyId}`);
    await expect(content(page).getByTestId("key-title")).toBeVisible();
    for (const tab of await content(page).getByRole("tab").all()) {
      await tab.click();
      await expect(tab).toHaveAttribute("aria-selected", "true");
      await check(`key tab ${(await tab.textContent())!.trim()}`);
    }
  });
}
