import type { Metadata } from "next";
import { RoleCard } from "@/components/policy/role-card";
import { Forbidden } from "@/components/shell/forbidden";
import { ROLE_LABELS, ROLES } from "@/lib/access/authorize";
import { listCustomRoles } from "@/lib/accounts/custom-roles";
import { requirePrincipal } from "@/lib/console/auth/current";
import { ROLE_SUMMARIES } from "@/lib/console/role-summaries";
import { ROLE_POLICIES, ROLE_POLICY_NAMES } from "@/lib/policy/roles";
import { CustomRoles } from "./custom-roles";
import { usersByRole } from "./queries";

export const metadata: Metadata = { title: "Roles" };


export default async function RolesPage() {
  const principal = await requirePrincipal();
  // The page only decides what to render; usersByRole authorizes the read.
  if (principal.role !== "ADMINISTRATOR" && principal.role !== "AUDITOR") return <Forbidden what="the Roles page" />;
  const [members, customRoles] = await Promise.all([usersByRole(principal), listCustomRoles(principal)]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Roles</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Each console role is an identity policy. A key&apos;s policy decides with it: the account-root statement of a key policy delegates to these
          policies, and a key policy can also name a user directly. No built-in role except Administrator both manages and uses keys.
        </p>
      </div>
      <div className="flex flex-col gap-4">
        {ROLES.map((role) => (
          <RoleCard
            key={role}
            label={ROLE_LABELS[role]}
            policyName={ROLE_POLICY_NAMES[role]}
            summary={ROLE_SUMMARIES[role]}
            policy={JSON.stringify(ROLE_POLICIES[role], null, 2)}
            members={members.byRole[role]}
          />
        ))}
      </div>
      <section aria-labelledby="no-role-title" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="no-role-title" className="text-lg font-medium">
          Users with no role
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          No built-in identity policy: they can do only what a custom role, a key policy or a grant gives them.
        </p>
        {members.noRole.length === 0 ? (
          <p className="mt-2 text-sm">None.</p>
        ) : (
          <ul aria-label="Users with no role" className="mt-2 flex flex-wrap gap-2">
            {members.noRole.map((m) => (
              <li key={m.username} className="rounded bg-slate-100 px-2 py-0.5 text-sm dark:bg-slate-800">
                {m.username}
                {m.disabled ? " (disabled)" : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
      <CustomRoles roles={customRoles} canEdit={principal.role === "ADMINISTRATOR"} />
    </div>
  );
}
