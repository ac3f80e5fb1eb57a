// The sidebar: only pages that exist, and only those the caller may open.
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/db/client";

export interface NavItem {
  href: string;
  label: string;
}

const ITEMS: Array<NavItem & { roles?: Role[] }> = [
  { href: "/", label: "Dashboard" },
  { href: "/keys", label: "Keys", roles: ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] },
  { href: "/playground", label: "Playground", roles: ["ADMINISTRATOR", "KEY_USER"] },
  { href: "/audit", label: "Audit trail", roles: ["ADMINISTRATOR", "AUDITOR"] },
  { href: "/access", label: "Access keys", roles: ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"] },
  { href: "/users", label: "Users", roles: ["ADMINISTRATOR"] },
  { href: "/roles", label: "Roles", roles: ["ADMINISTRATOR", "AUDITOR"] },
  { href: "/policy-simulator", label: "Policy simulator", roles: ["ADMINISTRATOR", "AUDITOR"] },
  { href: "/settings", label: "Settings" },
  { href: "/account", label: "Account" },
];

export function navigationFor(principal: Principal): NavItem[] {
  return ITEMS.filter((i) => !i.roles || (principal.role && i.roles.includes(principal.role))).map(({ href, label }) => ({
    href,
    label,
  }));
}
