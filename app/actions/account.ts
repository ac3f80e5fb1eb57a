"use server";

import { changeOwnPassword } from "@/lib/accounts/users";
import { runAction } from "@/lib/console/run";

export async function changeOwnPasswordAction(input: { currentPassword: string; newPassword: string }) {
  return runAction((caller) => changeOwnPassword(caller, input));
}
