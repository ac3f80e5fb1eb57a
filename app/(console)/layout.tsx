import { redirect } from "next/navigation";
import { LiveUpdates } from "@/components/live/live-updates";
import { ConsoleShell } from "@/components/shell/console-shell";
import { currentPrincipal } from "@/lib/auth/current";
import { navigationFor } from "@/lib/console/navigation";
import { ROLE_LABELS } from "@/lib/access/authorize";

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
      <LiveUpdates />
      {children}
    </ConsoleShell>
  );
}
