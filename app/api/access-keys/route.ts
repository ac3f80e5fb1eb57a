import { listAccessKeys } from "@/lib/accounts/access-keys";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

export function GET() {
  return runRoute((caller) => listAccessKeys(caller, {}));
}
