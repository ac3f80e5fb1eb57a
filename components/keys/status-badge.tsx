import { Badge } from "@/components/ui/badge";
import { countdown, formatDate, STATE_LABELS } from "./labels";

const TONES = { Enabled: "green", Disabled: "slate", PendingDeletion: "red", PendingImport: "amber" } as const;

/** A key's state; pending deletion shows the date and a countdown. */
export function KeyStatus({ state, deletionDate }: { state: string; deletionDate?: string | null }) {
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge tone={TONES[state as keyof typeof TONES] ?? "slate"}>{STATE_LABELS[state] ?? state}</Badge>
      {state === "PendingDeletion" && deletionDate && (
        <span className="text-xs text-red-700 dark:text-red-300" title={new Date(deletionDate).toISOString()}>
          Deletes {formatDate(deletionDate)} ({countdown(deletionDate)})
        </span>
      )}
    </span>
  );
}
