"use server";

import { runAction } from "@/lib/console/run";
import { seedDemo } from "@/lib/demo/seed";

/** The empty dashboard's "Load demo data" (administrators; the service layer decides). */
export async function seedDemoAction() {
  return runAction(async (caller) => {
    const r = await seedDemo(caller);
    // One-time passwords are for the CLI's operator: the console does not show them.
    return { keysCreated: r.keysCreated, trafficCalls: r.trafficCalls, deniedCalls: r.deniedCalls, usersCreated: r.usersCreated.map((u) => u.username) };
  });
}
