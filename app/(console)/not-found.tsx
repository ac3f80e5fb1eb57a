import { FileQuestion } from "lucide-react";
import Link from "next/link";

/** 404 inside the console's frame: what happened and where to go next. */
export default function ConsoleNotFound() {
  return (
    <section className="mx-auto flex max-w-lg flex-col items-center gap-4 py-16 text-center" data-testid="not-found">
      <FileQuestion aria-hidden className="size-12 text-indigo-600 dark:text-indigo-400" />
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        There is no console page at this address. It may have moved, or the link may be mistyped.
      </p>
      <div className="flex gap-3">
        <Link href="/" className="rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500">
          Go to the dashboard
        </Link>
        <Link href="/keys" className="rounded-md border border-slate-300 px-3.5 py-2 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
          Keys
        </Link>
      </div>
    </section>
  );
}
