import { NextResponse, type NextRequest } from "next/server";
import { exportAuditEvents, type AuditExport, type ExportInput } from "@/lib/audit/export";
import { runRoute } from "@/lib/console/run";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * Streams an export of ?from&to in ?format=jsonl|csv as a download. Access and
 * input are checked before the first byte, so those errors are ordinary JSON
 * answers; X-Keyhold-Event-Count lets the console show progress.
 */
export async function GET(request: NextRequest) {
  const sp = request.nextUrl.searchParams;
  const input = { from: sp.get("from") ?? undefined, to: sp.get("to") ?? undefined, format: sp.get("format") ?? "jsonl" } as ExportInput;
  let prepared: AuditExport | undefined;
  const res = await runRoute(async (caller) => {
    prepared = await exportAuditEvents(caller, input);
    return {};
  });
  if (!prepared) return res; // the error answer

  const iterator = prepared.chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (e) {
        logger.error({ err: e }, "audit export failed mid-stream");
        controller.error(e);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new NextResponse(body, {
    headers: {
      "content-type": prepared.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${prepared.fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-keyhold-event-count": String(prepared.count),
    },
  });
}
