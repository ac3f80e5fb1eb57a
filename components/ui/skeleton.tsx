import { cn } from "./cn";

/** A placeholder block while content loads; size it like the content to avoid layout jumps. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn("animate-pulse rounded bg-slate-200 dark:bg-slate-800", className)} />;
}
