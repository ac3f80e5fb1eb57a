import { mkdirSync } from "node:fs";
import { CreateAliasCommand, CreateKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, pickKey, signIn } from "./helpers";

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

/** A key made through the API (the admin's access key), with an alias to pick it by. */
async function apiKey(kms: KMSClient, alias: string, input: Record<string, unknown> = {}): Promise<{ id: string; arn: string }> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `playground ${alias}`, ...input }));
  await kms.send(new CreateAliasCommand({ AliasName: `alias/${alias}`, TargetKeyId: KeyMetadata!.KeyId! }));
  return { id: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
}

/** The playground with one key picked, on one operation's tab. */
async function openOperation(page: Page, alias: string, tab: string) {
  await page.goto("/playground");
  await expect(content(page).getByRole("heading", { name: "Key playground", level: 1 })).toBeVisible();
  await pickKey(content(page).getByLabel("Key", { exact: true }), `alias/${alias}`);
  await content(page).getByRole("tab", { name: tab }).click();
  await expect(content(page).getByRole("tab", { name: tab })).toHaveAttribute("aria-selected", "true");
  return content(page).getByRole("tabpanel");
}

const operationTabs = (page: Page) => content(page).getByRole("tablist", { name: "Operations" }).getByRole("tab");

test("the playground round-trips envelope encryption and shows a wrong context failing", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
  const name = `e2e-play-${Date.now()}`;
  await createSymmetricKey(page, name);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Playground" }).click();
  await expect(page.getByRole("heading", { name: "Key playground" })).toBeVisible();
  await pickKey(page.getByLabel("Key", { exact: true }), `alias/${name}`);
  // A symmetric encryption key offers what it can do, and nothing it cannot.
  await expect(operationTabs(page)).toHaveText(["Envelope encryption", "Encrypt / decrypt", "Data key pair", "ReEncrypt", "Random bytes"]);
  const text = `attack at dawn ${Date.now()}`;
  await page.getByLabel("Text to encrypt").fill(text);
  await page.getByLabel("Encryption context").fill("purpose=demo, team=e2e");
  await page.getByRole("button", { name: "Encrypt", exact: true }).click();
  await expect(page.getByTestId("wrapped-key")).not.toBeEmpty();
  await expect(page.getByTestId("ciphertext")).not.toBeEmpty();
  await expect(page.getByRole("region", { name: "Result" })).not.toContainText(text);

  await page.getByRole("button", { name: "Decrypt", exact: true }).click();
  await expect(page.getByTestId("decrypted-text")).toHaveText(text);

  await page.getByRole("button", { name: "Try a wrong encryption context" }).click();
  await expect(page.getByTestId("wrong-context-result")).toContainText("InvalidCiphertextException");
  await page.screenshot({ path: `${SHOTS}/playground.png`, fullPage: true });
});

test("sign/verify, MAC, data key pair, ReEncrypt, ECDH and random run through the service as the signed-in user", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const run = Date.now();
  const { kms, dispose } = apiClientFor(E2E_ADMIN.username, baseURL!);
  const names = { sign: `e2e-sign-${run}`, mac: `e2e-mac-${run}`, sym: `e2e-sym-${run}`, rsa: `e2e-rsa-${run}`, ecdh: `e2e-ecdh-${run}` };
  try {
    await apiKey(kms, names.sign, { KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    await apiKey(kms, names.mac, { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    await apiKey(kms, names.sym);
    await apiKey(kms, names.rsa, { KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" });
    await apiKey(kms, names.ecdh, { KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT" });
  } finally {
    dispose();
  }
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);

  // Sign / verify with an ECC key: RAW, then DIGEST (hashed in the browser); a changed message fails.
  let panel = await openOperation(page, names.sign, "Sign / verify");
  await expect(operationTabs(page)).toHaveText(["Sign / verify", "Random bytes"]);
  for (const type of ["RAW", "DIGEST"]) {
    await panel.getByLabel("Message type").selectOption(type);
    await panel.getByRole("button", { name: "Sign", exact: true }).click();
    await expect(panel.getByTestId("signature")).not.toBeEmpty();
    await panel.getByRole("button", { name: "Verify", exact: true }).click();
    await expect(panel.getByTestId("verify-result")).toHaveText("The signature is valid for this message.");
    await panel.getByRole("button", { name: "Verify a changed message" }).click();
    await expect(panel.getByTestId("verify-result")).toContainText("KMSInvalidSignatureException");
  }

  // MAC generate / verify with an HMAC key.
  panel = await openOperation(page, names.mac, "MAC");
  await expect(operationTabs(page)).toHaveText(["MAC", "Random bytes"]);
  await panel.getByRole("button", { name: "Generate MAC" }).click();
  await expect(panel.getByTestId("mac")).toHaveText(/^[0-9a-f]{64}$/);
  await panel.getByRole("button", { name: "Verify MAC", exact: true }).click();
  await expect(panel.getByTestId("mac-result")).toHaveText("The MAC is valid for this message.");
  await panel.getByRole("button", { name: "Verify a changed message" }).click();
  await expect(panel.getByTestId("mac-result")).toContainText("KMSInvalidMacException");

  // A data key pair under a symmetric key; its wrapped private key decrypts to the same private key.
  panel = await openOperation(page, names.sym, "Data key pair");
  await panel.getByLabel("Key pair spec").selectOption("RSA_2048");
  await panel.getByRole("button", { name: "Generate key pair" }).click();
  await expect(panel.getByTestId("pair-spec")).toHaveText("RSA_2048");
  await panel.getByRole("button", { name: "Decrypt the wrapped private key" }).click();
  await expect(panel.getByTestId("pair-unwrapped")).toHaveText("Decrypt returned the same private key: store only the wrapped copy.");

  // ReEncrypt from the symmetric key to an RSA key; the RSA key decrypts the result.
  panel = await openOperation(page, names.sym, "ReEncrypt");
  const secret = `moving ${run}`;
  await panel.getByLabel("Plaintext").fill(secret);
  await pickKey(panel.getByLabel("Destination key"), `alias/${names.rsa}`);
  await panel.getByRole("button", { name: "Encrypt and re-encrypt" }).click();
  await expect(panel.getByTestId("reencrypt-plaintext")).toHaveText(secret);

  // An RSA encryption key offers encrypt/decrypt and ReEncrypt, no data keys.
  panel = await openOperation(page, names.rsa, "Encrypt / decrypt");
  await expect(operationTabs(page)).toHaveText(["Encrypt / decrypt", "ReEncrypt", "Random bytes"]);
  await panel.getByLabel("Plaintext").fill(secret);
  await panel.getByRole("button", { name: "Encrypt", exact: true }).click();
  await expect(panel.getByTestId("encrypt-ciphertext")).not.toBeEmpty();
  await panel.getByRole("button", { name: "Decrypt", exact: true }).click();
  await expect(panel.getByTestId("encrypt-plaintext")).toHaveText(secret);

  // ECDH: Keyhold and the browser derive the same secret.
  panel = await openOperation(page, names.ecdh, "ECDH derive");
  await panel.getByRole("button", { name: "Derive a shared secret" }).click();
  await expect(panel.getByTestId("derive-result")).toHaveText("Both sides derived the same secret.");

  // Random bytes: no key involved.
  panel = await openOperation(page, names.ecdh, "Random bytes");
  await panel.getByLabel("Number of bytes").fill("16");
  await panel.getByRole("button", { name: "Generate random bytes" }).click();
  await expect(panel.getByTestId("random-bytes")).toHaveText(/^[0-9a-f]{32}$/);
  await page.screenshot({ path: `${SHOTS}/playground-operations.png`, fullPage: true });
});

test("a denial names the key policy statement that decided it, and is audited", async ({ page, baseURL }) => {
  test.setTimeout(60_000);
  const alias = `e2e-deny-${Date.now()}`;
  const { kms, dispose } = apiClientFor(E2E_ADMIN.username, baseURL!);
  let key: { id: string; arn: string };
  try {
    const account = (await kms.send(new CreateKeyCommand({ Description: "account probe" }))).KeyMetadata!.AWSAccountId!;
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        { Sid: "NoDataKeyPairsHere", Effect: "Deny", Principal: { AWS: "*" }, Action: "kms:GenerateDataKeyPair", Resource: "*" },
      ],
    };
    key = await apiKey(kms, alias, { Policy: JSON.stringify(policy) });
  } finally {
    dispose();
  }
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(E2E_ADMIN.username);
  const panel = await openOperation(page, alias, "Data key pair");
  await panel.getByRole("button", { name: "Generate key pair" }).click();
  await expect(panel.getByTestId("denial")).toHaveText(
    `kms:GenerateDataKeyPair on ${key.arn} was refused by an explicit Deny: Key policy, statement 2 (Sid "NoDataKeyPairsHere"). A key administrator can change the key policy.`,
  );
  await expect(panel.getByTestId("playground-failure")).not.toContainText("AccessDeniedException");
  await page.screenshot({ path: `${SHOTS}/playground-denial.png`, fullPage: true });

  // The refusal is a real call: its event is in the audit trail.
  const trail = await page.request.get(`/api/audit/events?eventName=GenerateDataKeyPair&keyId=${key.id}&errorsOnly=true`);
  expect(trail.ok()).toBe(true);
  const { events } = (await trail.json()) as { events: Array<{ record: { errorCode?: string; userIdentity?: { arn?: string } } }> };
  expect(events.map((e) => e.record.errorCode)).toEqual(["AccessDeniedException"]);
});
