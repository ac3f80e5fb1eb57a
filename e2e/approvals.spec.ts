// Two-of-three approval of a key deletion, in Chromium, as three people:
// the requester's deletion is held (a toast names the request), the first
// approver sees a badge, must pass step-up (a wrong password is refused) and
// approves; the second approval runs the deletion; the requester sees the
// outcome and who approved. Rules are set from the terminal (`keyhold
// approvals require`), as an operator would. Then a password reset of another
// administrator under quorum, its new password revealed once to the requester.
import AxeBuilder from "@axe-core/playwright";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import { expect, test } from "./fixtures";
import { apiClientFor, content, createAdmin, keyhold, signedInAs, signIn } from "./helpers";

const PASSWORD = "e2e approvals password";

test("two of three approve a key deletion; the requester never counts", async ({ browser, baseURL }) => {
  test.setTimeout(240_000); // three people, three browser contexts and several CLI runs
  const stamp = Date.now().toString(36);
  const [alice, bob, carol] = ["alice", "bob", "carol"].map((n) => createAdmin(`${n}-${stamp}`, PASSWORD)) as [string, string, string];
  const api = apiClientFor(alice, baseURL!);
  const keyId = (await api.kms.send(new CreateKeyCommand({ Description: `approvals ${stamp}` }))).KeyMetadata!.KeyId!;
  api.dispose();

  const requester = await signedInAs(browser, alice, PASSWORD);
  // No rule yet: administrators are told quorum is off, and may dismiss it for the session.
  const banner = requester.getByRole("region", { name: "Quorum is off" });
  await expect(banner).toBeVisible();
  await banner.getByRole("button", { name: "Dismiss" }).click();
  await expect(banner).toBeHidden();

  expect(keyhold(["approvals", "require", "--operation", "ScheduleKeyDeletion", "--approvals", "2"])).toContain("needs 2 approval(s)");
  try {
    // The requester schedules the deletion: held, not done.
    await requester.goto(`/keys/${keyId}`);
    await requester.getByRole("button", { name: "Key actions" }).click();
    await requester.getByRole("menuitem", { name: "Schedule deletion" }).click();
    const dialog = requester.getByRole("dialog", { name: "Schedule key deletion" });
    await dialog.getByLabel("Waiting period (days)").selectOption("7");
    await dialog.getByLabel("Type delete to confirm").fill("delete");
    await dialog.getByRole("button", { name: "Schedule deletion" }).click();
    const toast = requester.getByRole("status").filter({ hasText: "Approval requested" });
    await expect(toast).toBeVisible();
    const requestId = (await toast.textContent())!.match(/Approval request ([0-9a-f-]{36})/)![1]!;
    await expect(content(requester).getByTestId("key-state")).toContainText("Enabled");

    // The requester sees it waiting, and cannot approve it.
    await requester.goto("/approvals");
    const mine = content(requester).getByTestId(`approval-request-${requestId}`);
    await expect(mine).toContainText("0/2 approvals");
    await expect(mine.getByRole("button", { name: /Approve/ })).toHaveCount(0);

    // The first approver: a badge, what will change, step-up refused with a wrong password, then approved.
    const first = await signedInAs(browser, bob, PASSWORD);
    await expect(first.getByRole("link", { name: /Approvals/ }).getByTestId("approvals-badge")).toBeVisible();
    await first.getByRole("link", { name: /Approvals/ }).click();
    const card = content(first).getByTestId(`approval-request-${requestId}`);
    await expect(card).toContainText(`Requested by ${alice}`);
    await expect(card.getByTestId("deletion-summary")).toContainText("7-day waiting period");
    await expect(card).toContainText(keyId);
    const axe = await new AxeBuilder({ page: first }).include("main").analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    await card.getByRole("button", { name: `Approve ScheduleKeyDeletion requested by ${alice}` }).click();
    const approve = first.getByRole("dialog", { name: "Approve ScheduleKeyDeletion" });
    await approve.getByLabel("Reason").fill("checked with the owner");
    await approve.getByLabel("Your password").fill("not my password");
    await approve.getByRole("button", { name: "Approve" }).click();
    await expect(approve.getByRole("alert")).toContainText("Step-up authentication failed");
    await approve.getByLabel("Your password").fill(PASSWORD);
    await approve.getByRole("button", { name: "Approve" }).click();
    await expect(first.getByRole("status").filter({ hasText: "Approved (1 of 2)" })).toBeVisible();
    await expect(card).toContainText("1/2 approvals");
    await expect(card.getByRole("button", { name: /Approve/ })).toHaveCount(0); // an approver decides once

    // The second approval runs it.
    const second = await signedInAs(browser, carol, PASSWORD);
    await second.goto("/approvals");
    const card2 = content(second).getByTestId(`approval-request-${requestId}`);
    await card2.getByRole("button", { name: `Approve ScheduleKeyDeletion requested by ${alice}` }).click();
    const approve2 = second.getByRole("dialog", { name: "Approve ScheduleKeyDeletion" });
    await approve2.getByLabel("Your password").fill(PASSWORD);
    await approve2.getByRole("button", { name: "Approve" }).click();
    await expect(second.getByRole("status").filter({ hasText: "Approved and executed" })).toBeVisible();

    // The requester sees the outcome and who approved; the key is pending deletion.
    await requester.getByRole("tab", { name: /Executed/ }).click();
    await expect(mine).toContainText("Executed as requested.", { timeout: 15_000 });
    await expect(mine.getByRole("list", { name: "Decisions" })).toContainText(bob);
    await expect(mine.getByRole("list", { name: "Decisions" })).toContainText(carol);
    await requester.goto(`/keys/${keyId}`);
    await expect(content(requester).getByTestId("key-state")).toContainText("Pending deletion");
  } finally {
    keyhold(["approvals", "require", "--operation", "ScheduleKeyDeletion", "--off"]);
  }
});

test("resetting another administrator's password waits for approval; the new password is revealed once to the requester", async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const [alice, bob, dave] = ["alice", "bob", "dave"].map((n) => createAdmin(`${n}-pw-${stamp}`, PASSWORD)) as [string, string, string];
  expect(keyhold(["approvals", "require", "--operation", "ResetUserPassword", "--approvals", "1"])).toContain("needs 1 approval(s)");
  try {
    // The requester resets dave's password: held, and dave's own password still works.
    const requester = await signedInAs(browser, alice, PASSWORD);
    await requester.goto("/users");
    await content(requester).getByTestId(`user-row-${dave}`).getByRole("button", { name: "Reset password" }).click();
    const toast = requester.getByRole("status").filter({ hasText: "Approval requested" });
    await expect(toast).toBeVisible();
    const requestId = (await toast.textContent())!.match(/Approval request ([0-9a-f-]{36})/)![1]!;
    await expect(requester.getByTestId("one-time-password")).toHaveCount(0);

    // The approver sees whose password, approves, and never sees the new one.
    const approver = await signedInAs(browser, bob, PASSWORD);
    await approver.goto("/approvals");
    const card = content(approver).getByTestId(`approval-request-${requestId}`);
    await expect(card).toContainText(dave);
    await card.getByRole("button", { name: `Approve ResetUserPassword requested by ${alice}` }).click();
    const dialog = approver.getByRole("dialog", { name: "Approve ResetUserPassword" });
    await dialog.getByLabel("Your password").fill(PASSWORD);
    await dialog.getByRole("button", { name: "Approve" }).click();
    await expect(approver.getByRole("status").filter({ hasText: "Approved and executed" })).toBeVisible();
    await expect(card.getByRole("button", { name: /Reveal/ })).toHaveCount(0);

    // The requester reveals it once; then it is gone.
    await requester.goto("/approvals");
    await content(requester).getByRole("tab", { name: /Executed/ }).click();
    const mine = content(requester).getByTestId(`approval-request-${requestId}`);
    await mine.getByRole("button", { name: "Reveal the secret of ResetUserPassword once" }).click();
    const shown = requester.getByRole("dialog", { name: "Shown once" });
    const password = (await shown.getByTestId("revealed-secret").textContent())!.trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await shown.getByRole("button", { name: "Done" }).click();
    await expect(mine).toContainText("Secret revealed to the requester");
    await expect(mine.getByRole("button", { name: /Reveal/ })).toHaveCount(0);

    // The new password signs dave in, straight to choosing his own.
    const target = await (await browser.newContext()).newPage();
    await signIn(target, dave, password);
    await expect(target).toHaveURL(/\/change-password/);
  } finally {
    keyhold(["approvals", "require", "--operation", "ResetUserPassword", "--off"]);
  }
});
