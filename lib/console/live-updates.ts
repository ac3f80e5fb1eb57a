// Server-sent events for open console pages: "keys changed" whenever a key
// changes in any instance (lib/kms/key-notifications), "access-keys changed"
// when an access key (or the user owning one) changes in this instance
// (lib/accounts/access-keys), so pages refetch then instead of polling. Events
// carry no IDs or data: a page learns only that it should refetch, and
// refetches through the audited, authorized reads.
import "server-only";
import { onAccessKeyChange } from "@/lib/accounts/access-keys";
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { onKeysChanged } from "@/lib/kms/key-notifications";

export const HEARTBEAT_MS = 20_000;
/** Changes arriving together (a bulk disable) become one message; also lets the change commit first on the embedded database. */
export const COALESCE_MS = 300;

export interface LiveStreamOptions {
  /** Re-checked at every heartbeat: the stream ends when the session has (sign-out, disable, expiry). */
  sessionIsCurrent: () => Promise<boolean>;
  signal?: AbortSignal;
  heartbeatMs?: number;
}

/** Opening the stream is one audited console read (SubscribeKeyChanges), then the stream itself. */
export async function openLiveStream(caller: Principal, options: LiveStreamOptions): Promise<ReadableStream<Uint8Array>> {
  await audited({ eventName: "SubscribeKeyChanges", eventSource: "keyhold.console", caller, via: "console", readOnly: true }, async () => undefined);
  return liveStream(options);
}

export function liveStream({ sessionIsCurrent, signal, heartbeatMs = HEARTBEAT_MS }: LiveStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const pending = new Map<string, NodeJS.Timeout>();
      const coalesced = (event: string) => () => {
        if (pending.has(event)) return;
        pending.set(
          event,
          setTimeout(() => {
            pending.delete(event);
            send(`event: ${event}\ndata: {}\n\n`);
          }, COALESCE_MS),
        );
      };
      const unsubscribeKeys = onKeysChanged(coalesced("keys"));
      const unsubscribeAccessKeys = onAccessKeyChange(coalesced("access-keys"));
      const heartbeat = setInterval(() => {
        sessionIsCurrent().then(
          (ok) => (ok ? send(`: heartbeat\n\n`) : end()),
          () => end(),
        );
      }, heartbeatMs);
      const end = () => {
        if (closed) return;
        cleanup();
        try {
          // Tells the page not to reconnect with this session.
          controller.enqueue(encoder.encode(`event: end\ndata: {}\n\n`));
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      cleanup = () => {
        closed = true;
        unsubscribeKeys();
        unsubscribeAccessKeys();
        clearInterval(heartbeat);
        for (const timer of pending.values()) clearTimeout(timer);
      };
      signal?.addEventListener("abort", () => cleanup(), { once: true });
      send(`retry: 5000\nevent: ready\ndata: {}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
}
