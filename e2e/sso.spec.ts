// Single sign-on through a real OpenID provider (oidc-provider, started
// here on E2E_OIDC.port) in Chromium: an IdP account in kms-admins becomes a
// Keyhold administrator on first sign-in; one without a mapped group is
// refused; a local account is not taken over and still signs in (break-glass).
import type { Server } from "node:http";
import { expect, test, type Page } from "./fixtures";
import Provider from "oidc-provider";
import { E2E_ADMIN, E2E_OIDC } from "../playwright.config";
import { signIn, signOut } from "./helpers";

const GROUPS: Record<string, string[]> = { "idp-admin": ["kms-admins", "staff"], "idp-auditor": ["kms-auditors"], "idp-nobody": ["staff"] };

let server: Server;

test.beforeAll(async ({ baseURL }) => {
  const provider = new Provider(E2E_OIDC.issuer, {
    clients: [
      {
        client_id: E2E_OIDC.clientId,
        client_secret: E2E_OIDC.clientSecret,
        redirect_uris: [`${baseURL}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["preferred_username", "name"], email: ["email"], groups: ["groups"] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: `sub-${id}`, preferred_username: `${id}-${RUN}`, name: id, groups: GROUPS[id] ?? [] }),
    }),
    cookies: { keys: ["keyhold e2e oidc cookie key"] },
    // Keyhold reads the role-map claims (groups) from the ID token.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
  });
  server = provider.listen(E2E_OIDC.port);
});

test.afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

/** Usernames per run: the e2e database is fresh, the IdP's subjects are fixed. */
const RUN = Date.now().toString(36);

async function ssoSignIn(page: Page, login: string) {
  // A fresh IdP session each time (the IdP would otherwise remember the last account).
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with single sign-on" }).click();
  // oidc-provider's own (development) login and consent pages.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("an IdP account in a mapped group signs in with the mapped role; one without is refused; local accounts stay", async ({ page }) => {
  test.setTimeout(120_000);
  await ssoSignIn(page, "idp-admin");
  await expect(page.getByTestId("signed-in-user")).toContainText(`idp-admin-${RUN}`);
  await expect(page.getByTestId("signed-in-user")).toContainText("Administrator");
  await page.goto("/account");
  await expect(page.getByRole("list", { name: "Active sessions" })).toContainText("(sso)");
  await signOut(page);

  await ssoSignIn(page, "idp-auditor");
  await expect(page.getByTestId("signed-in-user")).toContainText("Auditor");
  await signOut(page);

  await ssoSignIn(page, "idp-nobody");
  // Refused: back on the sign-in page, no session (the console sends a visitor without one to /login).
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId("sign-in-error")).toContainText("in no group that gives a Keyhold role");
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);

  // Break-glass: the local administrator still signs in with a password.
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
});
