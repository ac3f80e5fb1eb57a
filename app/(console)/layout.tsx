import { redirect } from "next/navigation";
import { QuorumOffBanner } from "@/components/approvals/quorum-off-banner";
import { LiveUpdates } from "@/components/live/live-updates";
import { ConsoleShell } from "@/components/shell/console-shell";
import { countAwaitingMe, quorumIsOff } from "@/lib/approvals";
import { currentPrincipal } from "@/lib/console/auth/current";
import { navigationFor } from "@/lib/console/navigation";
import { ROLE_LABELS } from "@/lib/access/authorize";
import { MfaSettings } from "@/components/account/mfa-settings";
import { StepUpListener } from "@/components/account/step-up-listener";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  if (principal.mustChangePassword) redirect("/change-password");
  const [approvalsAwaitingMe, quorumOff] = await Promise.all([
    countAwaitingMe(principal),
    principal.role === "ADMINISTRATOR" ? quorumIsOff() : Promise.resolve(false),
  ]);
  return (
    <ConsoleShell
      user={{ username: principal.username, role: principal.role ? ROLE_LABELS[principal.role] : "No role" }}
      navigation={navigationFor(principal, { approvalsAwaitingMe })}
    >
      {quorumOff && <QuorumOffBanner />}
      <LiveUpdates />
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
