import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/auth/current";
import { canUseKeys } from "@/lib/console/keys/roles";
import { Playground } from "./playground";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage() {
  const principal = await requirePrincipal();
  if (!canUseKeys(principal.role)) return <Forbidden what="the playground (it needs a role that may use keys)" />;
  return <Playground />;
}
