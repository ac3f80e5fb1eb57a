import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePrincipal } from "@/lib/console/auth/current";
import { mayUseKeys } from "@/lib/console/keys/capabilities";
import { Playground } from "./playground";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage() {
  const principal = await requirePrincipal();
  if (!mayUseKeys(principal)) return <Forbidden what="the playground (it needs a role that may use keys)" />;
  return <Playground />;
}
