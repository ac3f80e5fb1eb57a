// The sidebar: only pages that exist, and only those the caller may open.
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/db/client";
import { decideAccountAction } from "@/lib/kms/authorize";
import { mayUseKeys } from "./keys/capabilities";

export interface NavItem {
  href: string;
  label: string;
  /** A count shown next to the label (e.g. approval requests waiting for the caller). */
  badge?: { count: number; label: string };
}

/**
 * `roles`: pages gated on the built-in role. `offeredTo`: the page's own gate. `actions`: pages that open when the
 * caller's identity policies (built-in and custom roles) allow those KMS
 * actions, as the page itself decides (lib/console/keys/access.ts, capabilities.ts).
 */
const ITEMS: Array<NavItem & { roles?: Role[]; actions?: string[]; offeredTo?: (p: Principal) => boolean }> = [
  { href: "/", label: "Dashboard" },
  { href: "/keys", label: "Keys", actions: ["kms:ListKeys"] },
  { href: "/key-stores", label: "Key stores", actions: ["kms:DescribeCustomKeyStores"] },
  { href: "/playground", label: "Playground", offeredTo: mayUseKeys },
  { href: "/audit", label: "Audit trail", roles: ["ADMINISTRATOR", "AUDITOR"] },
  { href: "/access", label: "Access keys", roles: ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] },
  { href: "/users", label: "Users", roles: ["ADMINISTRATOR"] },
  { href: "/roles", label: "Roles", roles: ["ADMINISTRATOR", "AUDITOR"] },
  { href: "/alerts", label: "Alerts", roles: ["ADMINISTRATOR", "AUDITOR"] },
  { href: "/approvals", label: "Approvals", roles: ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] },
  { href: "/policy-simulator", label: "Policy simulator", roles: ["ADMINISTRATOR", "AUDITOR"] },
  { href: "/settings", label: "Settings" },
  { href: "/account", label: "Account" },
];

export function navigationFor(principal: Principal, counts: { approvalsAwaitingMe?: number } = {}): NavItem[] {
  const offered = (i: (typeof ITEMS)[number]) => {
    if (i.offeredTo) return i.offeredTo(principal);
    if (i.actions) return !principal.mustChangePassword && i.actions.every((a) => decideAccountAction(principal, a).decision.allowed);
    return !i.roles || (!!principal.role && i.roles.includes(principal.role));
  };
  const waiting = counts.approvalsAwaitingMe ?? 0;
  return ITEMS.filter(offered).map(({ href, label }) => ({
    href,
    label,
    ...(href === "/approvals" && waiting > 0 ? { badge: { count: waiting, label: `${waiting} waiting for your approval` } } : {}),
  }));
}
