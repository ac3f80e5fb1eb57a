import { listUsers } from "@/lib/access/users";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

export function GET() {
  return runRoute((caller) => listUsers(caller));
}
