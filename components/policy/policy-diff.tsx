import { cn } from "@/components/ui/cn";
import { diffHunks, lineDiff } from "./line-diff";

/** The saved policy against the draft, as a unified line diff. */
export function PolicyDiff({ before, after }: { before: string; after: string }) {
  const lines = lineDiff(before, after);
  const added = lines.filter((l) => l.kind === "added").length;
  const removed = lines.filter((l) => l.kind === "removed").length;
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm">
        Changes against the saved policy:{" "}
        <span className="text-emerald-700 dark:text-emerald-400">+{added}</span>{" "}
        <span className="text-red-700 dark:text-red-400">−{removed}</span>
      </figcaption>
      <div className="max-h-96 overflow-auto rounded-md border border-slate-200 font-mono text-xs leading-5 dark:border-slate-700" data-testid="policy-diff">
        {added + removed === 0 ? (
          <p className="p-3 font-sans text-sm text-slate-600 dark:text-slate-400">No changes.</p>
        ) : (
          <table className="w-full border-collapse">
            <tbody>
              {diffHunks(lines).map((l, i) =>
                l.kind === "gap" ? (
                  <tr key={i} className="bg-slate-50 text-slate-500 dark:bg-slate-900 dark:text-slate-400">
                    <td colSpan={3} className="px-3 py-0.5">
                      ⋯ {l.count} unchanged line{l.count === 1 ? "" : "s"}
                    </td>
                  </tr>
                ) : (
                  <tr
                    key={i}
                    className={cn(
                      l.kind === "added" && "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200",
                      l.kind === "removed" && "bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-200",
                    )}
                  >
                    <td className="w-10 px-2 text-right text-slate-400 select-none">{l.oldNo ?? ""}</td>
                    <td className="w-10 px-2 text-right text-slate-400 select-none">{l.newNo ?? ""}</td>
                    <td className="px-2 whitespace-pre">
                      <span aria-hidden>{l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : "  "}</span>
                      <span className="sr-only">{l.kind === "added" ? "Added: " : l.kind === "removed" ? "Removed: " : ""}</span>
                      {l.text}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
      </div>
    </figure>
  );
}
