import { runRoute } from "@/lib/console/run";
import { getConsoleKey } from "@/lib/console/keys/queries";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  return runRoute((caller) => getConsoleKey(caller, keyId));
}
