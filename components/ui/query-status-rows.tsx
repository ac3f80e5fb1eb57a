import { Button } from "./button";

/** Table-body rows for a TanStack query that is loading (skeletons) or failed (message + retry). */
export function QueryStatusRows({
  query,
  columns,
  skeletonRows = 1,
}: {
  query: { isPending: boolean; isError: boolean; error: Error | null; refetch: () => unknown };
  columns: number;
  skeletonRows?: number;
}) {
  if (query.isPending) {
    return Array.from({ length: skeletonRows }, (_, i) => (
      <tr key={i}>
        <td colSpan={columns} className="px-4 py-3">
          <div className="h-5 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
        </td>
      </tr>
    ));
  }
  if (query.isError) {
    return (
      <tr>
        <td colSpan={columns} className="px-4 py-6 text-center text-red-600">
          {query.error?.message}{" "}
          <Button variant="secondary" size="sm" onClick={() => query.refetch()}>
            Retry
          </Button>
        </td>
      </tr>
    );
  }
  return null;
}
