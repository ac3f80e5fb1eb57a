// What the console offers each built-in role (the service layer enforces
// regardless). Whether a page opens at all is the service layer's answer
// (lib/console/keys/access.ts), so custom roles count too.
import type { Role } from "@/lib/db/client";

export const canManageKeys = (role: Role | null) => role === "ADMINISTRATOR" || role === "KEY_ADMINISTRATOR";
export const canUseKeys = (role: Role | null) => role === "ADMINISTRATOR" || role === "KEY_USER";
