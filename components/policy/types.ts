// Shapes the policy views exchange with the server (JSON-safe).
import type { Role } from "@/lib/db/client";

export interface SimulationPrincipal {
  /** What the simulator takes: a username, or the account root ARN. */
  name: string;
  label: string;
  role: Role | null;
  disabled: boolean;
}

export interface RoleMember {
  username: string;
  disabled: boolean;
}
