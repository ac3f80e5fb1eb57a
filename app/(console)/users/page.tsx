import type { Metadata } from "next";
import { requirePrincipal } from "@/lib/console/auth/current";
import { Forbidden } from "@/components/shell/forbidden";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const principal = await requirePrincipal();
  // The page only decides what to render; the service layer enforces access on every call.
  if (principal.role !== "ADMINISTRATOR") return <Forbidden what="the Users page" />;
  return (
    <div className="flex flex-col gap-6">
      <UsersTable currentUserId={principal.userId ?? ""} />
    </div>
  );
}
