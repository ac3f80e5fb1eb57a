"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import type { NavItem } from "@/lib/console/navigation";
import { SessionKeepAlive } from "./session-keep-alive";
import { ThemeToggle } from "./theme-toggle";

export function ConsoleShell({
  user,
  navigation,
  children,
}: {
  user: { username: string; role: string };
  navigation: NavItem[];
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  const isActive = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));

  return (
    <div className="flex min-h-screen">
      <SessionKeepAlive />
      <aside
        className={cn(
          "fixed inset-y-0 left-0 z-40 w-56 shrink-0 md:w-48 xl:w-56 border-r border-slate-200 bg-white transition-transform md:static md:translate-x-0 dark:border-slate-800 dark:bg-slate-900",
          menuOpen ? "translate-x-0" : "-translate-x-full",
        )}
      >
        <div className="flex h-14 items-center gap-2 border-b border-slate-200 px-4 dark:border-slate-800">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/icon.svg" alt="" className="size-6" />
          <span className="font-semibold">Keyhold</span>
        </div>
        <nav aria-label="Main" className="flex flex-col gap-1 p-2">
          {navigation.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              // Not prefetched: a prefetch renders pages without a loading boundary in full on the server
              // (the dashboard's audited ListKeys and GetAuditSummary, recorded for a page nobody opened),
              // a dozen per navigation, competing with the page being opened (bench:console).
              prefetch={false}
              onClick={() => setMenuOpen(false)}
              aria-current={isActive(item.href) ? "page" : undefined}
              className={cn(
                "rounded-md px-3 py-2 text-sm",
                isActive(item.href)
                  ? "bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                  : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
              )}
            >
              {item.label}
              {item.badge && (
                <span
                  className="ml-2 inline-flex min-w-5 items-center justify-center rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white"
                  data-testid="approvals-badge"
                >
                  <span aria-hidden>{item.badge.count}</span>
                  <span className="sr-only">{item.badge.label}</span>
                </span>
              )}
            </Link>
          ))}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
          <button
            type="button"
            className="rounded-md p-2 md:hidden"
            aria-label="Open navigation"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen((o) => !o)}
          >
            ☰
          </button>
          <div className="flex-1" />
          <ThemeToggle />
          <div className="text-right text-sm leading-tight" data-testid="signed-in-user">
            <div className="font-medium">{user.username}</div>
            <div className="text-xs text-slate-500 dark:text-slate-400">{user.role}</div>
          </div>
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: "/login" })}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            Sign out
          </button>
        </header>
        {/* Narrower sidebar and padding below 1280 px: 48 px more for tables at 1024 px. */}
        <main className="mx-auto w-full max-w-6xl flex-1 p-4 md:p-6 xl:p-8">{children}</main>
      </div>
    </div>
  );
}
