import type { Metadata } from "next";
import { requirePrincipal } from "@/lib/console/auth/current";
import { Forbidden } from "@/components/shell/forbidden";
import { AccessKeysTable } from "./access-keys-table";

export const metadata: Metadata = { title: "Access keys" };

export default async function AccessPage() {
  const principal = await requirePrincipal();
  if (!principal.role) return <Forbidden what="API access keys" />;
  return <AccessKeysTable isAdministrator={principal.role === "ADMINISTRATOR"} username={principal.username} />;
}
