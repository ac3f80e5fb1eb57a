export function Forbidden({ what }: { what: string }) {
  return (
    <section
      data-testid="forbidden"
      className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      <h1 className="mb-1 text-lg font-semibold">Access denied</h1>
      <p className="text-sm">Your role does not allow you to open {what}. Ask an administrator if you need access.</p>
    </section>
  );
}
