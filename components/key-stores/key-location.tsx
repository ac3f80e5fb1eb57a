import Link from "next/link";
import { Badge } from "@/components/ui/badge";

/** Where a key lives: under Keyhold's root key, or inside a custom key store's HSM token. */
export function KeyLocation({ keyStore }: { keyStore: { id: string; name: string; clusterId: string; connectionState: string } | null }) {
  if (!keyStore) return <span data-testid="key-location">Keyhold key store (material wrapped by the root key)</span>;
  return (
    <span data-testid="key-location" className="inline-flex flex-wrap items-center gap-2">
      <span>
        HSM token <strong>{keyStore.clusterId}</strong> of custom key store{" "}
        <Link href="/key-stores" className="text-indigo-700 underline dark:text-indigo-300">
          {keyStore.name}
        </Link>{" "}
        ({keyStore.id})
      </span>
      <Badge tone={keyStore.connectionState === "CONNECTED" ? "green" : "red"}>{keyStore.connectionState}</Badge>
    </span>
  );
}
