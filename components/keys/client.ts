// Browser-side helpers shared by the key views.

export { ActionError, getJson, unwrap } from "@/lib/console/client";

export const keyName = (k: { aliases: string[]; id: string }) => k.aliases[0] ?? k.id;
