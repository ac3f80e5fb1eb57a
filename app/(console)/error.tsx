"use client";

import { RouteError } from "@/components/shell/route-error";

/** Any console page without its own boundary: the message and a retry, inside the shell. */
export default function ConsoleError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} />;
}
