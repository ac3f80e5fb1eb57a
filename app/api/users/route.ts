import { listUsers } from "@/lib/accounts/users";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

export function GET() {
  return runRoute((caller) => listUsers(caller));
}
