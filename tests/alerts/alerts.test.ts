// Alerts end to end: KMS calls through invokeKms, the dispatcher run turn by
// turn (runDispatcherOnce, no timers), and a real HTTP receiver on 127.0.0.1
// that verifies each message's signature as a receiver should.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDispatcherOnce } from "@/lib/alerts/dispatcher";
import {
  createNotificationRule,
  deleteNotificationRule,
  disableNotificationRule,
  listAlertDeliveries,
  listNotificationRules,
  updateNotificationRule,
} from "@/lib/alerts/rules";
import { SIGNATURE_HEADER, verifySignature } from "@/lib/alerts/signature";
import { checkedLookup, parseWebhookUrl } from "@/lib/alerts/webhook-url";
import type { Principal } from "@/lib/auth/principal";
import { navigationFor } from "@/lib/console/navigation";
import { prisma } from "@/lib/db/client";
import { makeUser } from "../helpers";
import { call, outcome, rootKey } from "../policy/fixtures";
import { recordSecret } from "../secret-registry";
import { auditEvent, auditEvents, tamperRecord } from "../support/audit-rows";

interface Received {
  body: string;
  signature: string | undefined;
  respond(status: number): void;
}

/** A webhook receiver: each request waits until the test answers it (or `status` answers at once). */
class Receiver {
  server!: Server;
  received: Received[] = [];
  status: number | undefined = 200;
  private waiters: Array<() => void> = [];

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const respond = (status: number) => res.writeHead(status).end();
        this.received.push({ body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, respond });
        if (this.status !== undefined) respond(this.status);
        this.waiters.splice(0).forEach((w) => w());
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Resolves once `n` requests have arrived. */
  async arrived(n: number): Promise<void> {
    while (this.received.length < n) await new Promise<void>((r) => this.waiters.push(r));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const fast = { backoffMs: () => 0, minGapMs: 0 };

let admin: Principal;
let receiver: Receiver;
let url: string;

beforeAll(async () => {
  admin = (await makeUser("ADMINISTRATOR")).principal;
  receiver = new Receiver();
  url = await receiver.start();
});

afterAll(async () => {
  await receiver.close();
});

beforeEach(async () => {
  // This file owns the alert tables: start each test from a quiet trail.
  await prisma.notificationRule.deleteMany();
  await prisma.alertCursor.deleteMany();
  await runDispatcherOnce(fast); // sets the cursor at the end of the trail
  receiver.received = [];
  receiver.status = 200;
});

async function createRule(input: Record<string, unknown>) {
  const rule = await createNotificationRule(admin, { url, ...input });
  recordSecret(rule.signingSecret, "notification rule signing secret");
  return rule;
}

describe("alerts", () => {
  it("a count rule fires once after 3 AccessDenied calls, signed so the receiver can verify it", async () => {
    const rule = await createRule({ name: "denied-burst", outcome: "denied", minCount: 3, windowSeconds: 300 });
    const key = await rootKey();
    const intruder = (await makeUser("AUDITOR")).principal;
    for (let i = 0; i < 2; i++) expect((await outcome(call("Encrypt", intruder, { KeyId: key.id, Plaintext: new Uint8Array([1]) }))).name).toBe("AccessDeniedException");
    expect((await runDispatcherOnce(fast)).queued).toBe(0);
    expect(receiver.received).toHaveLength(0);

    expect((await outcome(call("Encrypt", intruder, { KeyId: key.id, Plaintext: new Uint8Array([1]) }))).name).toBe("AccessDeniedException");
    const turn = await runDispatcherOnce(fast);
    expect(turn).toMatchObject({ queued: 1, delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    const [message] = receiver.received as [Received];
    expect(verifySignature(rule.signingSecret, message.body, message.signature)).toBe(true);
    // A changed body, another secret or an old timestamp is refused.
    expect(verifySignature(rule.signingSecret, message.body + " ", message.signature)).toBe(false);
    expect(verifySignature("whsec_other", message.body, message.signature)).toBe(false);
    expect(verifySignature(rule.signingSecret, message.body, message.signature, new Date(Date.now() + 600_000))).toBe(false);
    const body = JSON.parse(message.body) as { rule: { name: string }; count: number; events: Array<{ eventName: string; errorCode: string; userIdentity: { arn: string } }> };
    expect(body.rule.name).toBe("denied-burst");
    expect(body.count).toBe(3);
    expect(body.events.map((e) => [e.eventName, e.errorCode, e.userIdentity.arn])).toEqual(Array(3).fill(["Encrypt", "AccessDeniedException", intruder.arn]));

    // Used up: the next denied call alone does not fire again.
    await outcome(call("Encrypt", intruder, { KeyId: key.id, Plaintext: new Uint8Array([1]) }));
    expect((await runDispatcherOnce(fast)).queued).toBe(0);
    const [delivery] = await listAlertDeliveries(admin, { ruleId: rule.id });
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, log: [{ httpStatus: 200, error: null }] });
  });

  it("a ScheduleKeyDeletion rule on keys tagged env=prod fires for such a key only, in Slack text format", async () => {
    await createRule({ name: "prod-deletion", eventNames: ["ScheduleKeyDeletion"], tagKey: "env", tagValue: "prod", format: "text" });
    const prod = await rootKey({ Tags: [{ TagKey: "env", TagValue: "prod" }] });
    const dev = await rootKey({ Tags: [{ TagKey: "env", TagValue: "dev" }] });
    for (const key of [dev, prod]) await call("ScheduleKeyDeletion", admin, { KeyId: key.id, PendingWindowInDays: 7 });
    expect(await runDispatcherOnce(fast)).toMatchObject({ queued: 1, delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    const { text } = JSON.parse(receiver.received[0]!.body) as { text: string };
    expect(text).toContain("prod-deletion");
    expect(text).toContain(`ScheduleKeyDeletion by ${admin.arn} on key ${prod.id}`);
    expect(text).not.toContain(dev.id);
  });

  it("a failed audit-chain verification is an event a rule can match", async () => {
    await createRule({ name: "chain-broken", eventNames: ["VerifyAuditChain"], outcome: "failed" });
    const { verifyAuditTrailAs } = await import("@/lib/audit/verify");
    // Break the chain for one verification: change one stored record, then restore it.
    const victim = await auditEvent({});
    const restore = await tamperRecord(victim.id, victim.record.replace('"eventVersion"', '"eventVersion" '));
    try {
      expect((await verifyAuditTrailAs(admin)).ok).toBe(false);
    } finally {
      await restore();
    }
    expect((await verifyAuditTrailAs(admin)).ok).toBe(true); // an intact verification does not match
    expect(await runDispatcherOnce(fast)).toMatchObject({ queued: 1, delivered: 1 });
    const body = JSON.parse(receiver.received[0]!.body) as { count: number; events: Array<{ responseElements: { ok: boolean } }> };
    expect(body.count).toBe(1);
    expect(body.events[0]!.responseElements.ok).toBe(false);
  });

  it("a receiver that fails (500) gets the message on a retry once it recovers; each attempt is logged", async () => {
    const rule = await createRule({ name: "retry", eventNames: ["CreateKey"] });
    await rootKey();
    receiver.status = 500;
    expect(await runDispatcherOnce(fast)).toMatchObject({ queued: 1, retrying: 1 });
    receiver.status = 200;
    expect(await runDispatcherOnce(fast)).toMatchObject({ queued: 0, delivered: 1 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    const [delivery] = await listAlertDeliveries(admin, { ruleId: rule.id });
    expect(delivery).toMatchObject({
      status: "delivered",
      attempts: 2,
      log: [
        { httpStatus: 500, error: "HTTP 500" },
        { httpStatus: 200, error: null },
      ],
    });
  });

  it("a receiver that stays down is given up after maxAttempts", async () => {
    const rule = await createRule({ name: "give-up", eventNames: ["CreateKey"] });
    await rootKey();
    receiver.status = 503;
    expect(await runDispatcherOnce({ ...fast, maxAttempts: 2 })).toMatchObject({ retrying: 1 });
    expect(await runDispatcherOnce({ ...fast, maxAttempts: 2 })).toMatchObject({ failed: 1 });
    expect(await runDispatcherOnce({ ...fast, maxAttempts: 2 })).toMatchObject({ delivered: 0, retrying: 0, failed: 0 });
    expect((await listAlertDeliveries(admin, { ruleId: rule.id }))[0]).toMatchObject({ status: "failed", attempts: 2, lastError: "HTTP 503" });
  });

  it("a KMS call returns while the webhook receiver is hung", async () => {
    await createRule({ name: "hung", eventNames: ["CreateKey", "TagResource"] });
    const key = await rootKey();
    receiver.status = undefined; // hold every request until the test answers
    const turn = runDispatcherOnce({ ...fast, timeoutMs: 20_000 });
    await receiver.arrived(1); // the dispatcher is now waiting on the receiver
    await call("TagResource", admin, { KeyId: key.id, Tags: [{ TagKey: "k", TagValue: "v" }] });
    // The call has returned; the receiver has not answered yet.
    expect(receiver.received).toHaveLength(1);
    receiver.received[0]!.respond(200);
    expect(await turn).toMatchObject({ delivered: 1 });
    // The tag call's event is matched by the next turn.
    receiver.status = 200;
    expect(await runDispatcherOnce(fast)).toMatchObject({ queued: 1, delivered: 1 });
    expect((JSON.parse(receiver.received[1]!.body) as { events: Array<{ eventName: string }> }).events[0]!.eventName).toBe("TagResource");
  });

  it("rule changes are audited, the secret and the webhook path are not", async () => {
    const since = new Date();
    const rule = await createRule({ name: "audited", eventNames: ["Decrypt"], url: `${url}/T000/B000/chat-token-123` });
    await updateNotificationRule(admin, { ruleId: rule.id, minCount: 5, windowSeconds: 600 });
    await disableNotificationRule(admin, { ruleId: rule.id });
    expect((await listNotificationRules(admin)).map((r) => [r.name, r.enabled])).toEqual([["audited", false]]);
    await deleteNotificationRule(admin, { ruleId: rule.id });
    const rows = await auditEvents({ where: { principalArn: admin.arn, eventTime: { gte: since } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.eventName, r.eventSource, r.readOnly])).toEqual([
      ["CreateNotificationRule", "keyhold.amazonaws.com", false],
      ["UpdateNotificationRule", "keyhold.amazonaws.com", false],
      ["DisableNotificationRule", "keyhold.amazonaws.com", false],
      ["ListNotificationRules", "keyhold.amazonaws.com", true],
      ["DeleteNotificationRule", "keyhold.amazonaws.com", false],
    ]);
    const created = rows[0]!.record;
    expect(created).not.toContain(rule.signingSecret);
    expect(created).not.toContain("chat-token-123");
    expect(JSON.parse(created)).toMatchObject({ requestParameters: { name: "audited", url: "http://127.0.0.1:" + new URL(url).port + "/…" } });
  });

  it("an auditor reads rules (URL redacted) but cannot create one: AccessDeniedException, audited", async () => {
    await createRule({ name: "visible" });
    const auditor = (await makeUser("AUDITOR")).principal;
    const [seen] = await listNotificationRules(auditor);
    expect(seen).toMatchObject({ name: "visible", url: `${new URL(url).origin}/…` });
    const denied = await outcome(createNotificationRule(auditor, { name: "nope", url }));
    expect(denied.name).toBe("AccessDeniedException");
    const rows = await prisma.auditEvent.findMany({ where: { principalArn: auditor.arn }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.eventName, r.errorCode])).toEqual([
      ["ListNotificationRules", null],
      ["CreateNotificationRule", "AccessDeniedException"],
    ]);
    expect(await prisma.notificationRule.count({ where: { name: "nope" } })).toBe(0);
    // The console offers the page to administrators and auditors only.
    expect(navigationFor(auditor).map((i) => i.label)).toContain("Alerts");
    expect(navigationFor((await makeUser("KEY_USER")).principal).map((i) => i.label)).not.toContain("Alerts");
  });

  it("refuses webhook URLs that are not http(s) or that name a link-local/metadata address", async () => {
    const bad = [
      "ftp://example.com/x",
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/x",
      "not a url",
      // The metadata address inside IPv6, as the URL parser rewrites it (::ffff:a9fe:a9fe) and as typed.
      "http://[::ffff:169.254.169.254]/latest/meta-data/",
      "http://[0:0:0:0:0:ffff:a9fe:a9fe]/x",
      "http://[::169.254.169.254]/x",
      "http://[64:ff9b::169.254.169.254]/x",
      "http://[fd00:ec2::254]/x",
      "http://[febf::1]/x",
    ];
    for (const url of bad) {
      expect((await outcome(createNotificationRule(admin, { name: "bad-url", url }))).name, url).toBe("ValidationException");
    }
    // The POST's own connection resolves through checkedLookup, so the address checked is the one
    // connected to (no DNS rebinding in between); a lookup answering a link-local address is refused.
    const resolved = (host: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) => checkedLookup(host, { all }, (err, address) => (err ? reject(err) : resolve(address))));
    await expect(resolved("169.254.169.254", false)).rejects.toThrow(/link-local/);
    await expect(resolved("169.254.169.254", true)).rejects.toThrow(/link-local/);
    expect(await resolved("localhost", false)).toMatch(/^(127\.0\.0\.1|::1)$/);
    // Private addresses stay allowed (internal receivers), also inside IPv6.
    for (const url of ["http://[::ffff:10.0.0.5]/hook", "http://[fd12::1]/hook"]) {
      expect(parseWebhookUrl(url).href).toContain("/hook");
    }
  });
});
