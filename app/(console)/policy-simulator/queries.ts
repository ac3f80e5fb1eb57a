// Server reads for the policy simulator: who can be simulated.
import "server-only";
import { authorize } from "@/lib/access/authorize";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { audited } from "@/lib/audit";
import { kmsContext } from "@/lib/kms/context";
import { SIMULATOR_EVENT_SOURCE } from "@/lib/kms/simulate";
import type { SimulationPrincipal } from "@/components/policy/types";

/** The account's users (and the account root) as simulator principals; for administrators and auditors, as simulatePolicy. */
export function listSimulationPrincipals(caller: Principal): Promise<SimulationPrincipal[]> {
  return audited(
    { eventName: "ListSimulationPrincipals", eventSource: SIMULATOR_EVENT_SOURCE, caller, via: "console", readOnly: true, recordedResponse: (r) => ({ principals: (r as unknown[]).length }) },
    () => simulationPrincipals(caller),
  );
}

async function simulationPrincipals(caller: Principal): Promise<SimulationPrincipal[]> {
  authorize(caller, "keyhold:SimulatePolicy", ["ADMINISTRATOR", "AUDITOR"]);
  const ctx = await kmsContext();
  const users = await prisma.user.findMany({
    orderBy: { username: "asc" },
    select: { username: true, role: true, disabled: true },
    take: 1000,
  });
  return [
    { name: `arn:aws:iam::${ctx.account}:root`, label: "Account root", role: null, disabled: false },
    ...users.map((u) => ({ name: u.username, label: u.username, role: u.role, disabled: u.disabled })),
  ];
}
