// A secret an approved change produced (here a temporary password) that its
// requester never reveals is erased by the expiry sweep once the request's
// time to live has passed since it executed; the request then says it
// expired unrevealed, a reveal is refused saying so, and an
// ExpireApprovalSecret service event records it. A revealed secret, or one
// still in its time, is left alone.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expireUnrevealedSecrets, listApprovalRequests } from "@/lib/approvals";
import { invokeAccessWithApproval } from "@/lib/approvals/access-gate";
import { revealApprovalSecret } from "@/lib/approvals/reveal";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { makeUser } from "../helpers";
import { rejection } from "../policy/fixtures";
import { recordSecret } from "../secret-registry";
import { administrators, decide, eventsText, heldId, requireApprovals, retireAdministratorsAfterFile } from "./support";

let alice: Principal, bob: Principal;
retireAdministratorsAfterFile();
beforeAll(async () => {
  [alice, bob] = await administrators(2);
});
afterEach(async () => {
  await prisma.approvalRule.deleteMany();
});

const HOUR = 3600_000;

/** A password reset of a new user, approved by bob: executed, its temporary password sealed for alice. */
async function executedReset(): Promise<string> {
  const target = await makeUser("KEY_USER");
  const id = await heldId(invokeAccessWithApproval("ResetUserPassword", alice, { userId: target.user.id }, { source: "console" }));
  expect(await decide(bob, id, "approve")).toMatchObject({ status: "executed", execution: { ok: true, secretSealedForRequester: true } });
  return id;
}

describe("produced secrets expire", () => {
  it("erases a secret nobody revealed once the request's time to live has passed since it ran", async () => {
    await requireApprovals("ResetUserPassword", 1, 3600);
    const id = await executedReset();

    // Still within its hour: kept.
    await expireUnrevealedSecrets(new Date(Date.now() + HOUR / 2));
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).sealedResult).not.toBeNull();

    expect(await expireUnrevealedSecrets(new Date(Date.now() + HOUR + 60_000))).toBeGreaterThanOrEqual(1);
    const row = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(row.sealedResult).toBeNull();
    expect(row.resultExpiredAt).not.toBeNull();
    expect(row.resultRevealedAt).toBeNull();
    expect(row.status).toBe("executed");

    const shown = (await listApprovalRequests(alice)).find((r) => r.id === id)!;
    expect(shown).toMatchObject({ secretToReveal: false, secretRevealedAt: null, secretExpiredAt: row.resultExpiredAt!.toISOString() });
    const refused = await rejection(revealApprovalSecret(alice, { requestId: id }));
    expect(refused).toMatchObject({ name: "KMSInvalidStateException", message: expect.stringContaining("expired unrevealed") });

    // Erased once: a second sweep finds nothing of it.
    await expireUnrevealedSecrets(new Date(Date.now() + 2 * HOUR));
    const events = await eventsText(id);
    expect(events.names.filter(([name]) => name === "ExpireApprovalSecret")).toEqual([["ExpireApprovalSecret", null]]);
    expect(events.names.at(-1)).toEqual(["RevealApprovalSecret", "KMSInvalidStateException"]);
  });

  it("keeps the default of 24 hours, and leaves a revealed secret alone", async () => {
    await requireApprovals("ResetUserPassword", 1);
    const kept = await executedReset();
    const revealed = await executedReset();
    recordSecret((await revealApprovalSecret(alice, { requestId: revealed })).secret.generatedPassword as string, "temporary password revealed");

    await expireUnrevealedSecrets(new Date(Date.now() + 23 * HOUR));
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id: kept } })).sealedResult).not.toBeNull();

    await expireUnrevealedSecrets(new Date(Date.now() + 25 * HOUR));
    const [expired, untouched] = await Promise.all([kept, revealed].map((id) => prisma.approvalRequest.findUniqueOrThrow({ where: { id } })));
    expect(expired!.sealedResult).toBeNull();
    expect(expired!.resultExpiredAt).not.toBeNull();
    expect(untouched!.resultRevealedAt).not.toBeNull();
    expect(untouched!.resultExpiredAt).toBeNull();
    expect((await eventsText(revealed)).names.some(([name]) => name === "ExpireApprovalSecret")).toBe(false);
  });
});
