// Open console pages hear of key changes through server-sent events instead
// of polling: a change in this instance (embedded database) or a NOTIFY from
// another instance (PostgreSQL) becomes a `keys` message with no data, an
// access-key change an `access-keys` message; a
// session that has ended closes the stream. Opening it is audited.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createAccessKey, deleteAccessKey } from "@/lib/accounts/access-keys";
import { queryAuditEvents } from "@/lib/audit/query";
import { liveStream, openLiveStream } from "@/lib/console/live-updates";
import { invokeKms } from "@/lib/kms/invoke";
import { listenForKeyChanges } from "@/lib/kms/key-notifications";
import { makeUser } from "../helpers";

/** Reads the stream until `until` matches the text so far. */
async function readUntil(stream: ReadableStream<Uint8Array>, until: RegExp): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!until.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe("live updates", () => {
  it("tells open pages that keys changed, without any key data", async () => {
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    const { KeyMetadata } = (await invokeKms("CreateKey", admin, {}, { source: "api" })) as { KeyMetadata: { KeyId: string } };
    const abort = new AbortController();
    const stream = liveStream({ sessionIsCurrent: async () => true, signal: abort.signal });
    expect(await readUntil(stream, /event: ready/)).toContain("retry: 5000");
    await invokeKms("DisableKey", admin, { KeyId: KeyMetadata.KeyId }, { source: "api" });
    const text = await readUntil(stream, /event: keys\ndata: \{\}\n\n/);
    expect(text).not.toContain(KeyMetadata.KeyId);
    abort.abort();
  });

  it("tells open pages that access keys changed (created, deleted), without the key ID", async () => {
    const { principal: admin, user } = await makeUser("ADMINISTRATOR");
    const abort = new AbortController();
    const stream = liveStream({ sessionIsCurrent: async () => true, signal: abort.signal });
    await readUntil(stream, /event: ready/);
    const { AccessKeyId } = await createAccessKey(admin, { username: user.username });
    const created = await readUntil(stream, /event: access-keys\ndata: \{\}\n\n/);
    expect(created).not.toContain(AccessKeyId);
    await deleteAccessKey(admin, { accessKeyId: AccessKeyId });
    expect(await readUntil(stream, /event: access-keys/)).toContain("data: {}");
    abort.abort();
  });

  it.skipIf(!process.env.DATABASE_URL)("relays another instance's NOTIFY on PostgreSQL", async () => {
    const listener = await listenForKeyChanges(process.env.DATABASE_URL!);
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    const abort = new AbortController();
    try {
      const stream = liveStream({ sessionIsCurrent: async () => true, signal: abort.signal });
      await readUntil(stream, /event: ready/);
      await other.query("SELECT pg_notify('keyhold_key_changed', '00000000-0000-4000-8000-000000000001')");
      expect(await readUntil(stream, /event: keys/)).toContain("data: {}");
    } finally {
      abort.abort();
      await other.end();
      await listener.close();
      (globalThis as { keyholdNotify?: boolean }).keyholdNotify = false;
    }
  });

  it("ends the stream once the session is no longer current", async () => {
    let current = true;
    const stream = liveStream({ sessionIsCurrent: async () => current, heartbeatMs: 50 });
    await readUntil(stream, /: heartbeat/);
    current = false;
    const text = await readUntil(stream, /event: end/);
    expect(text).toContain("event: end");
    const { done } = await stream.getReader().read();
    expect(done).toBe(true);
  });

  it("records opening the stream as a console view", async () => {
    const { principal: auditor } = await makeUser("AUDITOR");
    const since = new Date();
    const abort = new AbortController();
    await openLiveStream(auditor, { sessionIsCurrent: async () => true, signal: abort.signal });
    abort.abort();
    const page = await queryAuditEvents(auditor, { from: since, eventName: "SubscribeKeyChanges" });
    expect(page.events.map((e) => [e.record.userIdentity.arn, e.record.additionalEventData?.consoleView])).toEqual([[auditor.arn, true]]);
  });
});
