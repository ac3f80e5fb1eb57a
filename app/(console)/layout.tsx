import { redirect } from "next/navigation";
import { ConsoleShell } from "@/components/shell/console-shell";
import { currentPrincipal } from "@/lib/auth/current";
import { navigationFor } from "@/lib/console/navigation";
import { ROLE_LABELS } from "@/lib/access/authorize";
import { MfaSettings } from "@/components/account/mfa-settings";
import { StepUpListener } from "@/components/account/step-up-listener";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  if (principal.mustChangePassword) redirect("/change-password");
  return (
    <ConsoleShell
      user={{ username: principal.username, role: principal.role ? ROLE_LABELS[principal.role] : "No role" }}
      navigation={navigationFor(principal)}
    >
      {principal.mfaSetupRequired ? (
        // The role requires MFA and the user has none yet: nothing else until they add one.
        <section aria-labelledby="mfa-required-heading" className="flex max-w-lg flex-col gap-4">
          <h1 id="mfa-required-heading" className="text-2xl font-semibold">Set up multi-factor authentication</h1>
          <MfaSettings />
        </section>
      ) : (
        children
      )}
      <StepUpListener />
    </ConsoleShell>
  );
}
