import { ROLE_LABELS } from "@/lib/access/authorize";
import type { Role } from "@/lib/db/client";

export const ROLE_OPTIONS: Array<{ value: Role | ""; label: string }> = [
  { value: "", label: "No role" },
  ...(Object.entries(ROLE_LABELS) as Array<[Role, string]>).map(([value, label]) => ({ value, label })),
];
