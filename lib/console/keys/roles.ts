// What the console offers each role (the service layer enforces regardless).
import type { Role } from "@/lib/db/client";

export const canManageKeys = (role: Role | null) => role === "ADMINISTRATOR" || role === "KEY_ADMINISTRATOR";
export const canUseKeys = (role: Role | null) => role === "ADMINISTRATOR" || role === "KEY_USER";
export const canReadKeys = (role: Role | null) => role !== null;
