import { getServerSession } from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/console/auth/options";
import { isSessionClaims, sessionIsCurrent } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { openLiveStream } from "@/lib/console/live-updates";
import { runRoute } from "@/lib/console/run";
import { UnauthenticatedException } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Server-sent events: `keys` when any key changed (refetch), `end` when the session has ended. */
export async function GET(request: NextRequest) {
  const session = await getServerSession(authOptions());
  let stream: ReadableStream<Uint8Array> | undefined;
  const refused = await runRoute(async (caller) => {
    if (!isSessionClaims(session)) throw new UnauthenticatedException("Your session has ended. Sign in again.");
    const claims = session;
    const maxSeconds = config().sessionMaxSeconds;
    stream = await openLiveStream(caller, {
      signal: request.signal,
      sessionIsCurrent: async () => Date.now() / 1000 - claims.authTime <= maxSeconds && (await sessionIsCurrent(claims)),
    });
  });
  if (!stream) return refused;
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
