"use server";

import { runAction } from "@/lib/console/run";
import { simulatePolicy, type SimulationRequest } from "@/lib/kms/simulate";
import { listSimulationPrincipals } from "./queries";

export async function simulatePolicyAction(request: SimulationRequest) {
  return runAction((caller) => simulatePolicy(caller, request));
}

export async function listSimulationPrincipalsAction() {
  return runAction((caller) => listSimulationPrincipals(caller));
}
