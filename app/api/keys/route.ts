import type { NextRequest } from "next/server";
import { runRoute } from "@/lib/console/run";
import { parseKeyListParams } from "@/lib/console/keys/list-params";
import { listConsoleKeys } from "@/lib/console/keys/queries";

export const dynamic = "force-dynamic";

export function GET(request: NextRequest) {
  return runRoute((caller) => listConsoleKeys(caller, parseKeyListParams(request.nextUrl.searchParams)));
}
